package createapikey

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
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/web"
)

// sdkClient returns the official SDK's common client pointed at a keyport server on loopback,
// running the handler as the local server does (behind web.Logged) on the real clock.
func sdkClient(t *testing.T, secretKey string) (*common.Client, *env) {
	t.Helper()
	e := newEnv(t, 0)
	e.deps.Now = nil
	srv := httptest.NewServer(web.Logged(slog.New(slog.DiscardHandler), audit.NewWriter(io.Discard), "tencent-createapikey", Row.Serve(e.deps)))
	t.Cleanup(srv.Close)
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = strings.TrimPrefix(srv.URL, "http://")
	cpf.HttpProfile.Scheme = "HTTP"
	cred := common.NewCredential(credentials.DevTencentSecretID, secretKey)
	return common.NewCommonClient(cred, "ap-guangzhou", cpf), e
}

func sdkCreate(c *common.Client, params map[string]any) (apikey.APIKey, error) {
	req := tchttp.NewCommonRequest(tencent.APIGateway.Service, tencent.APIGateway.Version, action)
	if err := req.SetActionParameters(params); err != nil {
		return apikey.APIKey{}, err
	}
	resp := tchttp.NewCommonResponse()
	if err := c.Send(req, resp); err != nil {
		return apikey.APIKey{}, err
	}
	var body struct {
		Response struct {
			Result    apikey.APIKey
			RequestID string `json:"RequestId"`
		}
	}
	if err := json.Unmarshal(resp.GetBody(), &body); err != nil {
		return apikey.APIKey{}, err
	}
	if body.Response.RequestID == "" {
		return apikey.APIKey{}, errors.New("no RequestId")
	}
	return body.Response.Result, nil
}

// TestSDK drives CreateApiKey with tencentcloud-sdk-go common v1.3.210 and checks results and
// that errors surface as *TencentCloudSDKError with the right code.
func TestSDK(t *testing.T) {
	c, _ := sdkClient(t, credentials.DevTencentSecretKey)
	manual := map[string]any{"SecretName": "n", "AccessKeyType": "manual", "AccessKeyId": "sdk_key_id",
		"AccessKeySecret": "sdk_key_secret", "Tags": []map[string]string{{"Key": "k", "Value": "v"}}}

	t.Run("auto", func(t *testing.T) {
		k, err := sdkCreate(c, map[string]any{"SecretName": "test"})
		if err != nil {
			t.Fatalf("got %v, want success", err)
		}
		if !strings.HasPrefix(k.AccessKeyID, "AKID") || len(k.AccessKeySecret) != 40 || k.AccessKeyType != "auto" || k.Status != 1 || k.SecretName != "test" {
			t.Errorf("got %+v, want an auto key named test with Status 1", k)
		}
	})
	t.Run("manual", func(t *testing.T) {
		k, err := sdkCreate(c, manual)
		if err != nil {
			t.Fatalf("got %v, want success", err)
		}
		if k.AccessKeyID != "sdk_key_id" || k.AccessKeySecret != "sdk_key_secret" || len(k.Tags) != 1 || k.Tags[0].Key != "k" {
			t.Errorf("got %+v, want the manual key with its tag", k)
		}
	})
	errorCases := []struct {
		name     string
		client   *common.Client
		params   map[string]any
		wantCode string
	}{
		{"duplicate key", c, manual, "FailedOperation.AccessKeyExist"},
		{"missing SecretName", c, map[string]any{}, "MissingParameter"},
		{"bad AccessKeyId", c, map[string]any{"SecretName": "n", "AccessKeyType": "manual", "AccessKeyId": "a-b", "AccessKeySecret": "abcdefghij"}, "InvalidParameter.FormatError"},
		{"unknown parameter", c, map[string]any{"SecretName": "n", "Colour": "red"}, "UnknownParameter"},
		{"wrong SecretKey", func() *common.Client { c, _ := sdkClient(t, "wrong"); return c }(), map[string]any{"SecretName": "n"}, "AuthFailure.SignatureFailure"},
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
