package createapikey

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
)

// TestAuthAndForm runs the router's checks through the real handler: each refusal has its
// exact code and leaves the store empty and the sealer unused.
func TestAuthAndForm(t *testing.T) {
	const body = `{"SecretName":"n"}`
	with := func(f func(q *tencenttest.Request)) tencenttest.Request { q := signed(body); f(&q); return q }
	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	tests := []struct {
		name     string
		req      tencenttest.Request
		mutate   func(*http.Request)
		wantCode string
		golden   string
	}{
		{"no Authorization", signed(body), func(r *http.Request) { r.Header.Del("Authorization") }, "AuthFailure.InvalidAuthorization", "auth-missing"},
		{"garbled Authorization", signed(body), set("Authorization", "TC3-HMAC-SHA256 Credential=AKID, Signature=zz"), "AuthFailure.InvalidAuthorization", ""},
		{"SignedHeaders without host", signed(body), func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;host", "content-type;x-tc-action", 1))
		}, "AuthFailure.InvalidAuthorization", ""},
		{"no X-TC-Timestamp", signed(body), func(r *http.Request) { r.Header.Del("X-TC-Timestamp") }, "MissingParameter", ""},
		{"X-TC-Timestamp not an integer", signed(body), set("X-TC-Timestamp", "soon"), "InvalidParameter", ""},
		{"timestamp 6 minutes old", with(func(q *tencenttest.Request) { q.Time = now.Add(-6 * time.Minute) }), nil, "AuthFailure.SignatureExpire", "auth-expired"},
		{"timestamp 6 minutes ahead", with(func(q *tencenttest.Request) { q.Time = now.Add(6 * time.Minute) }), nil, "AuthFailure.SignatureExpire", ""},
		{"wrong service in scope", with(func(q *tencenttest.Request) { q.Service = "teo" }), nil, "AuthFailure.SignatureFailure", ""},
		{"unknown SecretId", with(func(q *tencenttest.Request) { q.SecretID, q.SecretKey = "AKIDunknown", "k" }), nil, "AuthFailure.SecretIdNotFound", "auth-unknown-id"},
		{"bad signature", with(func(q *tencenttest.Request) {
			q.SecretID, q.SecretKey = credentials.DevTencentSecretID, "not-the-key"
		}), nil, "AuthFailure.SignatureFailure", "auth-bad-signature"},
		{"GET", signed(body), func(r *http.Request) { r.Method = http.MethodGet }, "UnsupportedProtocol", "get"},
		{"form-encoded POST", signed(body), set("Content-Type", "application/x-www-form-urlencoded"), "UnsupportedProtocol", ""},
		{"other action", signed(body), set("X-TC-Action", "CreateMultiPathGatewaySecretKey"), "InvalidAction", ""},
		{"other version", signed(body), set("X-TC-Version", "2022-09-01"), "NoSuchVersion", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 0)
			r := tt.req.HTTP(t)
			if tt.mutate != nil {
				tt.mutate(r)
			}
			w, code := e.serve(t, r)
			if code != tt.wantCode {
				t.Fatalf("got code %q, want %q (body %s)", code, tt.wantCode, w.Body)
			}
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(w.Body.Bytes()), *update)
			}
			e.assertNothingStored(t)
			e.AssertNotSealed(t)
		})
	}
}

// TestExtraSignedHeader checks that a client signing x-tc-action as well is accepted.
func TestExtraSignedHeader(t *testing.T) {
	e := newEnv(t, 0)
	q := signed(`{"SecretName":"n"}`)
	q.SignedHeaders = []string{"content-type", "host", "x-tc-action"}
	if w, code := e.serve(t, q.HTTP(t)); code != "" {
		t.Fatalf("got code %q, want success (body %s)", code, w.Body)
	}
}

// TestBodyTooLarge checks the 10 MB limit, before anything else is read or checked.
func TestBodyTooLarge(t *testing.T) {
	e := newEnv(t, 0)
	ok := signed(`{"SecretName":"n"}`).HTTP(t)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(make([]byte, 10<<20+1)))
	r.Header = ok.Header
	if w, code := e.serve(t, r); code != "RequestSizeLimitExceeded" {
		t.Fatalf("got code %q, want RequestSizeLimitExceeded (body %s)", code, w.Body)
	}
	e.assertNothingStored(t)
}
