package acs1_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"keyport/shared/sign/acs1"
)

// TestMatchesTheSDK: the string to sign and the signature are darabonba-openapi's own
// (utils.GetStringToSign, utils.GetROASignature, v2.1.14) for the same request.
func TestMatchesTheSDK(t *testing.T) {
	headers := map[string]string{
		"date": "Mon, 07 Dec 2026 06:38:06 GMT", "accept": "application/json", "content-type": "application/json; charset=utf-8",
		"x-acs-signature-nonce": "n0nce", "x-acs-signature-method": "HMAC-SHA1", "x-acs-signature-version": "1.0",
		"x-acs-version": "2024-03-27", "x-acs-action": "ListSecrets", "user-agent": "ua",
	}
	for _, tc := range []struct{ name, path, query string }{
		{"no query", "/v1/secrets", ""},
		{"query, an empty value", "/v1/secrets", "pageSize=10&gatewayType=API&nameLike="},
		{"path id", "/v1/secrets/s-abc123", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://127.0.0.1:8080"+tc.path+"?"+tc.query, nil)
			dr := dara.NewRequest()
			dr.Method, dr.Pathname = dara.String("GET"), dara.String(tc.path)
			dr.Headers, dr.Query = map[string]*string{}, map[string]*string{}
			for k, v := range headers {
				r.Header.Set(k, v)
				dr.Headers[k] = dara.String(v)
			}
			for k, vs := range r.URL.Query() {
				dr.Query[k] = dara.String(vs[0])
			}
			want := dara.StringValue(openapiutil.GetStringToSign(dr))
			if got := acs1.StringToSign(r); got != want {
				t.Fatalf("got  %q\nwant %q", got, want)
			}
			if got, want := acs1.Signature("s3cret", want), dara.StringValue(openapiutil.GetROASignature(dara.String(want), dara.String("s3cret"))); got != want {
				t.Fatalf("signature: got %s, want %s", got, want)
			}
		})
	}
}

func TestParseAuthorization(t *testing.T) {
	sig := acs1.Signature("k", "s")
	if id, got, err := acs1.ParseAuthorization("acs LTAIx:" + sig); err != nil || id != "LTAIx" || got != sig {
		t.Fatalf("got %q %q %v", id, got, err)
	}
	for _, bad := range []string{"", "acs", "acs :" + sig, "acs LTAIx", "acs LTAIx:", "acs LTAIx:c2ln", "ACS LTAIx:" + sig,
		"acs LTA Ix:" + sig, "acs LTAIx:" + sig + "=", "acs LTAIx:" + strings.ReplaceAll(sig, "=", ""), "ACS3-HMAC-SHA256 Credential=x"} {
		if _, _, err := acs1.ParseAuthorization(bad); err == nil {
			t.Errorf("%q: got nil error, want one", bad)
		}
	}
}

func TestSignVerify(t *testing.T) {
	r := httptest.NewRequest("DELETE", "http://h/v1/secrets/s-1", nil)
	r.Header.Set("date", "Mon, 07 Dec 2026 06:38:06 GMT")
	r.Header.Set("x-acs-signature-nonce", "n")
	acs1.Sign(r, "LTAIx", "secret")
	_, sig, err := acs1.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil || !acs1.Verify("secret", acs1.StringToSign(r), sig) {
		t.Fatalf("own signature does not verify: %v", err)
	}
	for name, edit := range map[string]func(*http.Request){
		"method":       func(r *http.Request) { r.Method = "GET" },
		"path":         func(r *http.Request) { r.URL.Path = "/v1/secrets/s-2" },
		"query":        func(r *http.Request) { r.URL.RawQuery = "a=b" },
		"date":         func(r *http.Request) { r.Header.Set("date", "Mon, 07 Dec 2026 06:38:07 GMT") },
		"x-acs header": func(r *http.Request) { r.Header.Set("x-acs-action", "GetSecret") },
		"content-type": func(r *http.Request) { r.Header.Set("content-type", "text/plain") },
	} {
		c := r.Clone(r.Context())
		edit(c)
		if acs1.Verify("secret", acs1.StringToSign(c), sig) {
			t.Errorf("%s changed, signature still verifies", name)
		}
	}
	if acs1.Verify("other", acs1.StringToSign(r), sig) {
		t.Error("verifies under another secret")
	}
}
