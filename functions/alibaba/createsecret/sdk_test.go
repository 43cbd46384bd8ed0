package createsecret

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// sdkClient is the official APIG client pointed at srv, as docs/wire/alibaba.md ("The SDK on loopback") shows it works.
func sdkClient(t *testing.T, srv *httptest.Server, secret string) *apig.Client {
	t.Helper()
	c, err := apig.NewClient(&openapi.Config{
		Endpoint:        ptr(strings.TrimPrefix(srv.URL, "http://")),
		Protocol:        ptr("http"),
		AccessKeyId:     ptr(credentials.DevAlibabaKeyID),
		AccessKeySecret: ptr(secret),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr(s string) *string { return &s }

// TestOfficialSDK drives the handler with apig-20240327/v6 v6.0.6: create, a wrong secret and a
// duplicate name, checking what the SDK surfaces and what the store holds.
func TestOfficialSDK(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.h)
	t.Cleanup(srv.Close)
	req := &apig.CreateSecretRequest{
		Name: ptr("sdk_secret"), SecretData: ptr("apikey-sdk-123"), Description: ptr("from the SDK"),
		GatewayType: ptr("API"), SecretSource: ptr("KMS"),
		KmsConfig: &apig.KMSConfig{KmsInstanceId: ptr("kst-1"), KmsKeyId: ptr("key-1")},
	}

	t.Run("create", func(t *testing.T) {
		resp, err := sdkClient(t, srv, credentials.DevAlibabaSecret).CreateSecret(req)
		if err != nil {
			t.Fatalf("got %v, want success", err)
		}
		b := resp.Body
		if *resp.StatusCode != 200 || b == nil || b.Data == nil || !secretIDPattern.MatchString(*b.Data.SecretId) ||
			*b.Code != "Ok" || *b.RequestId == "" {
			t.Fatalf("got %d %v, want 200 Ok with a sec- id", *resp.StatusCode, b)
		}
		ref := apigsecret.Ref(credentials.DevAlibabaAccount, *b.Data.SecretId)
		rec, err := e.Store.Get(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Attrs.String("description") != "from the SDK" || strings.Contains(strings.Join(values(rec.Attrs), " "), "apikey-sdk-123") ||
			strings.Contains(string(rec.Sealed), "apikey-sdk-123") {
			t.Errorf("got attrs %v, want the description and no plaintext", rec.Attrs)
		}
		plain, err := e.Sealer.Open(context.Background(), seal.Scope{Service: alibaba.Service, Tenant: credentials.DevAlibabaAccount},
			ref.AAD(), rec.Sealed)
		if err != nil || string(plain) != "apikey-sdk-123" {
			t.Errorf("got %q, %v opening the blob, want the secretData", plain, err)
		}
	})
	for _, tc := range []struct {
		name, secret, code string
		status             int
	}{
		{"wrong secret", "not-the-secret", "SignatureDoesNotMatch", 403},
		{"duplicate name", credentials.DevAlibabaSecret, "Conflict.SecretNameDuplicate", 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.count(t)
			_, err := sdkClient(t, srv, tc.secret).CreateSecret(req)
			// The APIG client wraps the gateway's ClientError in a tea.SDKError (DisableSDKError unset).
			var se *tea.SDKError
			if !errors.As(err, &se) {
				t.Fatalf("got %T %v, want *tea.SDKError", err, err)
			}
			if *se.Code != tc.code || *se.StatusCode != tc.status || !strings.Contains(*se.Data, `"requestId":"`) {
				t.Errorf("got %d %s (data %s), want %d %s with a requestId", *se.StatusCode, *se.Code, *se.Data, tc.status, tc.code)
			}
			if n := e.count(t); n != before {
				t.Errorf("got %d records, want still %d", n, before)
			}
		})
	}
}

func values(m store.Attrs) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, fmt.Sprint(v))
	}
	return out
}
