package tencent_test

import (
	"bytes"
	"net/http"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
)

// unreadable is a body that records whether anyone read it.
type unreadable struct {
	*bytes.Reader
	read bool
}

func (u *unreadable) Read(p []byte) (int, error) { u.read = true; return u.Reader.Read(p) }
func (u *unreadable) Close() error               { return nil }

// TestRouterRefusesBeforeReadingTheBody: every refusal that needs no body is made without
// reading a byte of it, so an unauthenticated client cannot make the server hold one. Only a
// request with a known SecretId and a fresh, well-scoped timestamp has its body read.
func TestRouterRefusesBeforeReadingTheBody(t *testing.T) {
	const body = `{"Name":"n"}`
	tests := []struct {
		name     string
		mutate   func(*http.Request)
		wantCode string
		wantRead bool
	}{
		{"declared over 10 MB", func(r *http.Request) { r.ContentLength = 10<<20 + 1 }, "RequestSizeLimitExceeded", false},
		{"unknown action", func(r *http.Request) { r.Header.Set("X-TC-Action", "Nope") }, "InvalidAction", false},
		{"no Authorization", func(r *http.Request) { r.Header.Del("Authorization") }, "AuthFailure.InvalidAuthorization", false},
		{"stale timestamp", func(r *http.Request) { r.Header.Set("X-TC-Timestamp", "1") }, "AuthFailure.SignatureExpire", false},
		{"unknown SecretId", func(r *http.Request) {
			q := echo(body)
			q.SecretID, q.SecretKey = "AKIDnobody", "x"
			r.Header.Set("Authorization", q.HTTP(t).Header.Get("Authorization"))
		}, "AuthFailure.SecretIdNotFound", false},
		{"unsigned payload", func(r *http.Request) { r.Header.Set("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD") }, "AuthFailure.SignatureFailure", false},
		{"wrong signature: read, then refused", func(r *http.Request) {
			q := echo(body)
			q.SecretID, q.SecretKey = credentials.DevTencentSecretID, "not the key"
			r.Header.Set("Authorization", q.HTTP(t).Header.Get("Authorization"))
		}, "AuthFailure.SignatureFailure", true},
		{"as signed", func(r *http.Request) {}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := echo(body).HTTP(t)
			u := &unreadable{Reader: bytes.NewReader([]byte(body))}
			r.Body = u
			tt.mutate(r)
			w := tencenttest.Serve(t, testRouter(), r)
			if got := tencenttest.Code(t, w.Body.Bytes()); got != tt.wantCode {
				t.Errorf("got code %q, want %q", got, tt.wantCode)
			}
			if u.read != tt.wantRead {
				t.Errorf("body read = %v, want %v", u.read, tt.wantRead)
			}
		})
	}
}
