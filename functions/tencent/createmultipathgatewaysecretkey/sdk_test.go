package createmultipathgatewaysecretkey

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"keyport/shared/api/tencent"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/web"
)

// sdkClient returns the official SDK's common client (no region, as the typed teo client is
// used) pointed at a keyport server on loopback behind web.Logged, on the real clock.
func sdkClient(t *testing.T, secretKey string) *common.Client {
	t.Helper()
	e := newEnv(t)
	e.deps.Now = nil
	srv := httptest.NewServer(web.Logged(slog.New(slog.DiscardHandler), audit.NewWriter(io.Discard), "tencent-createmultipathgatewaysecretkey", Row.Serve(e.deps)))
	t.Cleanup(srv.Close)
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = strings.TrimPrefix(srv.URL, "http://")
	cpf.HttpProfile.Scheme = "HTTP"
	return common.NewCommonClient(common.NewCredential(credentials.DevTencentSecretID, secretKey), "", cpf)
}

func sdkCreate(c *common.Client, params map[string]any) (string, error) {
	req := tchttp.NewCommonRequest(tencent.EdgeOne.Service, tencent.EdgeOne.Version, action)
	if err := req.SetActionParameters(params); err != nil {
		return "", err
	}
	resp := tchttp.NewCommonResponse()
	if err := c.Send(req, resp); err != nil {
		return "", err
	}
	var body struct {
		Response map[string]any
	}
	if err := json.Unmarshal(resp.GetBody(), &body); err != nil {
		return "", err
	}
	id, _ := body.Response["RequestId"].(string)
	if id == "" || len(body.Response) != 1 {
		return "", errors.New("want a response of RequestId alone")
	}
	return id, nil
}

// TestSDK drives CreateMultiPathGatewaySecretKey with tencentcloud-sdk-go common v1.3.210.
func TestSDK(t *testing.T) {
	c := sdkClient(t, credentials.DevTencentSecretKey)
	t.Run("given key", func(t *testing.T) {
		if _, err := sdkCreate(c, map[string]any{"ZoneId": "zone-27q0p0bal192", "SecretKey": docKey}); err != nil {
			t.Fatalf("got %v, want success", err)
		}
	})
	t.Run("generated key", func(t *testing.T) {
		if _, err := sdkCreate(c, map[string]any{"ZoneId": "zone-2noz78a8ev6k"}); err != nil {
			t.Fatalf("got %v, want success", err)
		}
	})
	errorCases := []struct {
		name     string
		client   *common.Client
		params   map[string]any
		wantCode string
	}{
		{"zone has a key", c, map[string]any{"ZoneId": "zone-27q0p0bal192"}, "OperationDenied"},
		{"missing ZoneId", c, map[string]any{}, "MissingParameter"},
		{"bad SecretKey", c, map[string]any{"ZoneId": "zone-vawer2vadg", "SecretKey": "short"}, "InvalidParameterValue"},
		{"wrong SecretKey", sdkClient(t, "wrong"), map[string]any{"ZoneId": "zone-vawer2vadg"}, "AuthFailure.SignatureFailure"},
	}
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sdkCreate(tt.client, tt.params)
			var sdkErr *tcerr.TencentCloudSDKError
			if !errors.As(err, &sdkErr) {
				t.Fatalf("got %v, want *TencentCloudSDKError", err)
			}
			if sdkErr.Code != tt.wantCode || sdkErr.RequestId == "" {
				t.Errorf("got code %q request id %q, want %q and a request id", sdkErr.Code, sdkErr.RequestId, tt.wantCode)
			}
		})
	}
}
