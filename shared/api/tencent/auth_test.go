package tencent_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/sign/tc3"
)

// signWithDate re-signs r with a credential scope dated date while keeping its X-TC-Timestamp.
func signWithDate(t *testing.T, r *http.Request, body, date string) {
	t.Helper()
	a := tc3.Authorization{SecretID: credentials.DevTencentSecretID, Date: date, Service: "apigateway",
		SignedHeaders: []string{"content-type", "host"}}
	canonical, err := tc3.CanonicalRequest(tc3.FromHTTP(r, []byte(body)), a.SignedHeaders)
	if err != nil {
		t.Fatal(err)
	}
	sts := tc3.StringToSign(r.Header.Get("X-TC-Timestamp"), a.Scope(), canonical)
	a.Signature = tc3.Signature(tc3.SigningKey(credentials.DevTencentSecretKey, date, "apigateway"), sts)
	r.Header.Set("Authorization", a.String())
}

func TestRouterAuth(t *testing.T) {
	const body = `{"Name":"n"}`
	at := func(d time.Duration) tencenttest.Request { q := echo(body); q.Time = now.Add(d); return q }
	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	tests := []struct {
		name     string
		req      tencenttest.Request
		mutate   func(*http.Request)
		wantCode string
	}{
		{"as signed", echo(body), nil, ""},
		{"no Authorization", echo(body), func(r *http.Request) { r.Header.Del("Authorization") }, "AuthFailure.InvalidAuthorization"},
		{"garbled Authorization", echo(body), set("Authorization", "TC3-HMAC-SHA256 Credential=garbage"), "AuthFailure.InvalidAuthorization"},
		{"v1 style Authorization", echo(body), set("Authorization", "HmacSHA256 abc"), "AuthFailure.InvalidAuthorization"},
		{"host not signed", echo(body), func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;host", "content-type", 1))
		}, "AuthFailure.InvalidAuthorization"},
		{"no timestamp", echo(body), func(r *http.Request) { r.Header.Del("X-TC-Timestamp") }, "MissingParameter"},
		{"timestamp not an integer", echo(body), set("X-TC-Timestamp", "2026-08-21T23:59:00Z"), "InvalidParameter"},
		{"timestamp too big for int64", echo(body), set("X-TC-Timestamp", "99999999999999999999"), "InvalidParameter"},
		{"timestamp max int64", echo(body), set("X-TC-Timestamp", strconv.FormatInt(1<<63-1, 10)), "AuthFailure.SignatureExpire"},
		{"timestamp min int64", echo(body), set("X-TC-Timestamp", strconv.FormatInt(-1<<63, 10)), "AuthFailure.SignatureExpire"},
		{"5m old is accepted", at(-5 * time.Minute), nil, ""},
		{"5m ahead is accepted", at(5 * time.Minute), nil, ""},
		{"5m1s old", at(-5*time.Minute - time.Second), nil, "AuthFailure.SignatureExpire"},
		{"5m1s ahead", at(5*time.Minute + time.Second), nil, "AuthFailure.SignatureExpire"},
		{"wrong service in scope", func() tencenttest.Request { q := echo(body); q.Service = "teo"; return q }(), nil, "AuthFailure.SignatureFailure"},
		// The Node.js and Java SDKs sign for the first label of their endpoint.
		{"Node.js/Java scope, endpoint 127.0.0.1:8080", onHost(body, "127.0.0.1:8080", "127"), nil, ""},
		{"Node.js/Java scope, endpoint localhost:8080", onHost(body, "localhost:8080", "localhost:8080"), nil, ""},
		{"Node.js/Java scope, endpoint [::1]:8080", onHost(body, "[::1]:8080", "[::1]:8080"), nil, ""},
		{"Node.js/Java scope, endpoint keyport.example.com", onHost(body, "keyport.example.com", "keyport"), nil, ""},
		{"Go SDK scope on any host", onHost(body, "127.0.0.1:8080", "apigateway"), nil, ""},
		{"scope is neither service nor host label", onHost(body, "127.0.0.1:8080", "128"), nil, "AuthFailure.SignatureFailure"},
		{"scope is a later host label", onHost(body, "keyport.example.com", "example"), nil, "AuthFailure.SignatureFailure"},
		{"host label scope, host changed after signing", onHost(body, "127.0.0.1:8080", "127"), func(r *http.Request) { r.Host = "127.0.0.2:8080" }, "AuthFailure.SignatureFailure"},
		{"host label scope, Host moved to match a forged scope", onHost(body, "127.0.0.1:8080", "127"), func(r *http.Request) { r.Host = "128.0.0.1:8080" }, "AuthFailure.SignatureFailure"},
		{"scope date is not the timestamp's", echo(body), func(r *http.Request) { signWithDate(t, r, body, "2026-08-22") }, "AuthFailure.SignatureFailure"},
		{"scope date re-signed correctly", echo(body), func(r *http.Request) { signWithDate(t, r, body, "2026-08-21") }, ""},
		{"unknown SecretId", func() tencenttest.Request { q := echo(body); q.SecretID, q.SecretKey = "AKIDnobody", "x"; return q }(), nil, "AuthFailure.SecretIdNotFound"},
		{"wrong SecretKey", func() tencenttest.Request {
			q := echo(body)
			q.SecretID, q.SecretKey = credentials.DevTencentSecretID, "wrong"
			return q
		}(), nil, "AuthFailure.SignatureFailure"},
		{"host changed", echo(body), func(r *http.Request) { r.Host = "other.test" }, "AuthFailure.SignatureFailure"},
		{"unsigned payload", echo(body), set("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD"), "AuthFailure.SignatureFailure"},
		{"extra signed header x-tc-action", func() tencenttest.Request {
			q := echo(body)
			q.SignedHeaders = []string{"content-type", "host", "x-tc-action"}
			return q
		}(), nil, ""},
		{"extra signed header changed", func() tencenttest.Request {
			q := echo(body)
			q.SignedHeaders = []string{"content-type", "host", "x-tc-region"}
			return q
		}(), set("X-TC-Region", "ap-beijing"), "AuthFailure.SignatureFailure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req.HTTP(t)
			if tt.mutate != nil {
				tt.mutate(r)
			}
			w := tencenttest.Serve(t, testRouter(), r)
			if got := tencenttest.Code(t, w.Body.Bytes()); got != tt.wantCode {
				t.Errorf("got code %q, want %q (body %s)", got, tt.wantCode, w.Body)
			}
			if strings.Contains(w.Body.String(), credentials.DevTencentSecretKey) {
				t.Errorf("body %s echoes the SecretKey", w.Body)
			}
		})
	}
}

// onHost is echo(body) sent to host and signed with service in its credential scope.
func onHost(body, host, service string) tencenttest.Request {
	q := echo(body)
	q.Host, q.Service = host, service
	return q
}

// TestRouterBodyTamper checks that the body is covered by the signature.
func TestRouterBodyTamper(t *testing.T) {
	signed := echo(`{"Name":"a"}`).HTTP(t)
	r := echo(`{"Name":"b"}`).HTTP(t)
	r.Header.Set("Authorization", signed.Header.Get("Authorization"))
	w := tencenttest.Serve(t, testRouter(), r)
	if got := tencenttest.Code(t, w.Body.Bytes()); got != "AuthFailure.SignatureFailure" {
		t.Errorf("got code %q, want AuthFailure.SignatureFailure", got)
	}
}
