package createsecret

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/credentials"
)

func str(s string) *string { return &s }

// TestRefusals covers every rule: each case must fail with the code and status chosen for it,
// store nothing, and (since it is refused before sealing) spend no data key.
func TestRefusals(t *testing.T) {
	replaceAK := func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), credentials.DevAlibabaKeyID, "LTAInobody", 1))
	}
	dropSigned := func(name string) func(r *http.Request) {
		return func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";"+name, "", 1))
		}
	}
	for _, tc := range []struct {
		name   string
		call   call
		status int
		code   string
		msg    string // a substring the message must hold (the field it names)
	}{
		// method and body size
		{"GET", call{method: "GET"}, 405, "UnsupportedOperation", "POST"},
		{"PUT", call{method: "PUT", body: okBody}, 405, "UnsupportedOperation", "POST"},
		{"body over 1 MB", call{body: body(`"secretData":"` + strings.Repeat("x", alibaba.MaxBody) + `"`)}, 413, "EntityTooLarge", "1048576"},
		// authentication
		{"no authorization", call{body: okBody, noSign: true}, 400, "IncompleteSignature", "Authorization"},
		{"garbled authorization", call{body: okBody, after: func(r *http.Request) { r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=x") }}, 400, "IncompleteSignature", "well-formed"},
		{"legacy acs authorization", call{body: okBody, after: func(r *http.Request) { r.Header.Set("Authorization", "acs LTAIkeyportLocalDev:c2ln") }}, 400, "IncompleteSignature", "well-formed acs"},
		{"unknown access key", call{body: okBody, after: replaceAK}, 404, "InvalidAccessKeyId.NotFound", "access key"},
		{"wrong secret", call{body: okBody, secret: "not-the-secret"}, 403, "SignatureDoesNotMatch", "signature"},
		{"tampered body", call{body: okBody, sentBody: str(strings.Replace(okBody, "my_secret", "other", 1))}, 403, "SignatureDoesNotMatch", "x-acs-content-sha256"},
		{"tampered content sha", call{body: okBody, after: func(r *http.Request) { r.Header.Set("x-acs-content-sha256", strings.Repeat("0", 64)) }}, 403, "SignatureDoesNotMatch", "x-acs-content-sha256"},
		{"unsigned x-acs header smuggled", call{body: okBody, after: func(r *http.Request) { r.Header.Set("x-acs-accesskey-id", "LTAIother") }}, 400, "IncompleteSignature", "x-acs-accesskey-id"},
		{"nonce left unsigned", call{body: okBody, after: dropSigned("x-acs-signature-nonce")}, 400, "IncompleteSignature", "x-acs-signature-nonce"},
		{"date left unsigned", call{body: okBody, after: dropSigned("x-acs-date")}, 400, "IncompleteSignature", "x-acs-date"},
		{"content sha left unsigned", call{body: okBody, after: dropSigned("x-acs-content-sha256")}, 400, "IncompleteSignature", "x-acs-content-sha256"},
		{"no date", call{body: okBody, before: func(r *http.Request) { r.Header.Del("x-acs-date") }}, 400, "IncompleteSignature", "x-acs-date"},
		{"unparsable date", call{body: okBody, before: func(r *http.Request) { r.Header.Set("x-acs-date", "yesterday") }}, 400, "InvalidTimeStamp.Format", "x-acs-date"},
		{"stale date", call{body: okBody, date: time.Now().Add(-16 * time.Minute)}, 400, "InvalidTimeStamp.Expired", "x-acs-date"},
		{"future date", call{body: okBody, date: time.Now().Add(16 * time.Minute)}, 400, "InvalidTimeStamp.Expired", "x-acs-date"},
		{"bad nonce", call{body: okBody, nonce: "../../x"}, 400, "InvalidParameter", "x-acs-signature-nonce"},
		// media type and JSON
		{"text/plain", call{body: okBody, contentType: "text/plain"}, 415, "UnsupportedMediaType", "Content-Type"},
		{"malformed JSON", call{body: `{"name":"a",`}, 400, "InvalidParameter", "JSON object"},
		{"JSON array", call{body: `[{"name":"a"}]`}, 400, "InvalidParameter", "JSON object"},
		{"trailing garbage", call{body: withName("a") + "x"}, 400, "InvalidParameter", "JSON object"},
		{"name not a string", call{body: body(`"name":5`)}, 400, "InvalidParameter", "name"},
		{"kmsConfig not an object", call{body: body(`"kmsConfig":"kst-1"`)}, 400, "InvalidParameter", "kmsConfig"},
		{"kmsKeyId not a string", call{body: body(`"kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":1}`)}, 400, "InvalidParameter", "kmsConfig.kmsKeyId"},
		// fields
		{"empty body", call{}, 400, "MissingParameter", `"name"`},
		{"name missing", call{body: body(`-name`)}, 400, "MissingParameter", `"name"`},
		{"name null", call{body: body(`"name":null`)}, 400, "MissingParameter", `"name"`},
		{"name empty", call{body: withName("")}, 400, "MissingParameter", `"name"`},
		{"name 65 characters", call{body: withName(strings.Repeat("a", 65))}, 400, "InvalidParameter", "name"},
		{"name with hyphen", call{body: withName("my-secret")}, 400, "InvalidParameter", "name"},
		{"name with non-ASCII letter", call{body: withName("sécret")}, 400, "InvalidParameter", "name"},
		{"description 257 characters", call{body: body(`"description":"` + strings.Repeat("é", 257) + `"`)}, 400, "InvalidParameter", "description"},
		{"gatewayType missing", call{body: body(`-gatewayType`)}, 400, "MissingParameter", `"gatewayType"`},
		{"gatewayType empty", call{body: body(`"gatewayType":""`)}, 400, "MissingParameter", `"gatewayType"`},
		{"gatewayType lower case", call{body: body(`"gatewayType":"api"`)}, 400, "InvalidParameter", "gatewayType"},
		{"gatewayType unknown", call{body: body(`"gatewayType":"MSE"`)}, 400, "InvalidParameter", "gatewayType"},
		{"secretSource 65 characters", call{body: body(`"secretSource":"` + strings.Repeat("K", 65) + `"`)}, 400, "InvalidParameter", "secretSource"},
		{"secretSource control character", call{body: body(`"secretSource":"K\nMS"`)}, 400, "InvalidParameter", "secretSource"},
		{"kmsConfig missing", call{body: body(`-kmsConfig`)}, 400, "MissingParameter", `"kmsConfig"`},
		{"kmsConfig null", call{body: body(`"kmsConfig":null`)}, 400, "MissingParameter", `"kmsConfig"`},
		{"kmsConfig empty", call{body: body(`"kmsConfig":{}`)}, 400, "MissingParameter", `"kmsConfig.kmsInstanceId"`},
		{"kmsInstanceId missing", call{body: body(`"kmsConfig":{"kmsKeyId":"key-1"}`)}, 400, "MissingParameter", `"kmsConfig.kmsInstanceId"`},
		{"kmsKeyId missing", call{body: body(`"kmsConfig":{"kmsInstanceId":"kst-1"}`)}, 400, "MissingParameter", `"kmsConfig.kmsKeyId"`},
		{"kmsKeyId empty", call{body: body(`"kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":""}`)}, 400, "MissingParameter", `"kmsConfig.kmsKeyId"`},
		{"kmsInstanceId 257 characters", call{body: body(`"kmsConfig":{"kmsInstanceId":"` + strings.Repeat("k", 257) + `","kmsKeyId":"key-1"}`)}, 400, "InvalidParameter", "kmsConfig.kmsInstanceId"},
		{"kmsKeyId 257 characters", call{body: body(`"kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"` + strings.Repeat("k", 257) + `"}`)}, 400, "InvalidParameter", "kmsConfig.kmsKeyId"},
		{"secretData missing", call{body: body(`-secretData`)}, 400, "MissingParameter", `"secretData"`},
		{"secretData empty", call{body: body(`"secretData":""`)}, 400, "MissingParameter", `"secretData"`},
		{"secretData over 64 KiB", call{body: body(`"secretData":"` + strings.Repeat("x", apigsecret.MaxValue+1) + `"`)}, 400, "InvalidParameter", "secretData"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := alibabatest.Do(t, e.h, tc.call.build()())
			e.checkRefused(t, res, tc.status, tc.code, tc.msg)
			alibabatest.Golden(t, "refuse_"+tc.name, res)
		})
	}
}

func TestMethodAllowHeader(t *testing.T) {
	res := alibabatest.Do(t, newEnv(t).h, call{method: "DELETE"}.build()())
	if got := res.Header.Get("Allow"); got != "POST" {
		t.Errorf("got Allow %q, want POST", got)
	}
}

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
	}{
		{"sdk body", okBody},
		{"minimal", body()},
		{"limits", `{"name":"` + strings.Repeat("a", 64) + `","secretData":"` + strings.Repeat("x", apigsecret.MaxValue) +
			`","description":"` + strings.Repeat("é", 256) + `","gatewayType":"AI","secretSource":"` + strings.Repeat("K", 64) +
			`","kmsConfig":{"kmsInstanceId":"` + strings.Repeat("k", 256) + `","kmsKeyId":"` + strings.Repeat("k", 256) + `"}}`},
		{"unknown fields ignored", body(`"futureField":{"x":[1,2]}`, `"tags":null`)},
		{"secretSource other than KMS kept", body(`"secretSource":"Manual"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := alibabatest.Do(t, e.h, call{body: tc.body}.build()())
			if res.Status != 200 || res.Code() != "Ok" || !secretIDPattern.MatchString(res.SecretID()) {
				t.Fatalf("got %d %s, want 200 Ok with a sec- id", res.Status, res.Raw)
			}
			if n := e.count(t); n != 3 {
				t.Errorf("got %d records, want 3 (the secret, its name and the spent nonce)", n)
			}
			if n := e.KMS.Generates.Load(); n != 1 {
				t.Errorf("got %d data keys generated, want 1", n)
			}
			alibabatest.Golden(t, "accept_"+tc.name, res)
		})
	}
}
