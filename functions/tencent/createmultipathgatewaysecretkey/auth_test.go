package createmultipathgatewaysecretkey

import (
	"net/http"
	"testing"
	"time"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
)

// TestAuthAndForm runs the router's checks through this handler: each refusal has its exact
// code and leaves the store empty and the sealer unused.
func TestAuthAndForm(t *testing.T) {
	const body = `{"ZoneId":"zone-27q0p0bal192"}`
	with := func(f func(q *tencenttest.Request)) tencenttest.Request { q := signed(body); f(&q); return q }
	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	tests := []struct {
		name     string
		req      tencenttest.Request
		mutate   func(*http.Request)
		wantCode string
	}{
		{"no Authorization", signed(body), func(r *http.Request) { r.Header.Del("Authorization") }, "AuthFailure.InvalidAuthorization"},
		{"garbled Authorization", signed(body), set("Authorization", "TC3-HMAC-SHA256 nonsense"), "AuthFailure.InvalidAuthorization"},
		{"timestamp 6 minutes old", with(func(q *tencenttest.Request) { q.Time = now.Add(-6 * time.Minute) }), nil, "AuthFailure.SignatureExpire"},
		{"timestamp 6 minutes ahead", with(func(q *tencenttest.Request) { q.Time = now.Add(6 * time.Minute) }), nil, "AuthFailure.SignatureExpire"},
		{"apigateway scope", with(func(q *tencenttest.Request) { q.Service = "apigateway" }), nil, "AuthFailure.SignatureFailure"},
		{"unknown SecretId", with(func(q *tencenttest.Request) { q.SecretID, q.SecretKey = "AKIDunknown", "k" }), nil, "AuthFailure.SecretIdNotFound"},
		{"bad signature", with(func(q *tencenttest.Request) { q.SecretID, q.SecretKey = credentials.DevTencentSecretID, "wrong" }), nil, "AuthFailure.SignatureFailure"},
		{"GET", signed(body), func(r *http.Request) { r.Method = http.MethodGet }, "UnsupportedProtocol"},
		{"other action", signed(body), set("X-TC-Action", "CreateApiKey"), "InvalidAction"},
		{"other version", signed(body), set("X-TC-Version", "2018-08-08"), "NoSuchVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			r := tt.req.HTTP(t)
			if tt.mutate != nil {
				tt.mutate(r)
			}
			w, code := e.serve(t, r)
			if code != tt.wantCode {
				t.Fatalf("got code %q, want %q (body %s)", code, tt.wantCode, w.Body)
			}
			e.AssertEmpty(t)
			e.AssertNotSealed(t)
		})
	}
}

// TestExtraSignedHeader checks that a client signing x-tc-action as well is accepted.
func TestExtraSignedHeader(t *testing.T) {
	e := newEnv(t)
	q := signed(`{"ZoneId":"zone-27q0p0bal192"}`)
	q.SignedHeaders = []string{"content-type", "host", "x-tc-action"}
	if w, code := e.serve(t, q.HTTP(t)); code != "" {
		t.Fatalf("got code %q, want success (body %s)", code, w.Body)
	}
}
