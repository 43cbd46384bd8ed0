package alibaba

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/sign/acs3"
	"keyport/shared/store"
)

var t0 = time.Date(2026, 11, 24, 11, 29, 15, 0, time.UTC)

const testBody = `{"name":"my_secret","secretData":"v"}`

// signed builds a request as the SDK sends it, lets edit change it before signing, and signs
// it with the development key.
func signed(edit func(r *http.Request), secret string) *http.Request {
	return signedBody(testBody, edit, secret)
}

// signedBody is signed with another body.
func signedBody(body string, edit func(r *http.Request), secret string) *http.Request {
	r := httptest.NewRequest("POST", "http://127.0.0.1:8080/v1/secrets", strings.NewReader(body))
	r.Header.Set("content-type", "application/json; charset=utf-8")
	r.Header.Set("x-acs-action", "CreateSecret")
	r.Header.Set("x-acs-version", "2024-03-27")
	r.Header.Set("x-acs-date", t0.Format(DateLayout))
	r.Header.Set("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef")
	if edit != nil {
		edit(r)
	}
	acs3.Sign(r, []byte(body), credentials.DevAlibabaKeyID, secret)
	return r
}

func TestVerify(t *testing.T) {
	dev := credentials.DevAlibabaSecret
	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	for _, tc := range []struct {
		name  string
		req   *http.Request
		body  string
		after func(r *http.Request) // changes made after signing
		kind  fault.Kind
		code  string
	}{
		{"no authorization", signed(nil, dev), testBody, func(r *http.Request) { r.Header.Del("Authorization") }, fault.Unauthenticated, ""},
		{"two authorization headers", signed(nil, dev), testBody, func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) }, fault.Unauthenticated, ""},
		{"garbled", signed(nil, dev), testBody, set("Authorization", "ACS3-HMAC-SHA256 garbage"), fault.Unauthenticated, ""},
		{"unknown key", signed(nil, dev), testBody, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), credentials.DevAlibabaKeyID, "LTAInobody", 1))
		}, fault.Unauthenticated, CodeAccessKeyNotFound},
		{"wrong secret", signed(nil, "wrong"), testBody, nil, fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"tampered body", signed(nil, dev), `{"name":"other","secretData":"v"}`, nil, fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"tampered signed header", signed(nil, dev), testBody, set("x-acs-action", "DeleteSecret"), fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"tampered host", signed(nil, dev), testBody, func(r *http.Request) { r.Host = "evil:1" }, fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"smuggled x-acs header", signed(nil, dev), testBody, set("x-acs-security-token", "t"), fault.Unauthenticated, ""},
		{"nonce not signed", signed(nil, dev), testBody, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-acs-signature-nonce", "", 1))
		}, fault.Unauthenticated, ""},
		{"no nonce", signed(func(r *http.Request) { r.Header.Del("x-acs-signature-nonce") }, dev), testBody, nil, fault.Unauthenticated, ""},
		{"no date", signed(func(r *http.Request) { r.Header.Del("x-acs-date") }, dev), testBody, nil, fault.Unauthenticated, ""},
		{"body without content-type", signed(func(r *http.Request) { r.Header.Del("content-type") }, dev), testBody, nil, fault.Unauthenticated, ""},
		{"unparsable date", signed(set("x-acs-date", "Tue, 24 Nov 2026 11:29:15 GMT"), dev), testBody, nil, fault.Expired, CodeTimeStampFormat},
		{"stale date", signed(set("x-acs-date", t0.Add(-Window-time.Second).Format(DateLayout)), dev), testBody, nil, fault.Expired, ""},
		{"future date", signed(set("x-acs-date", t0.Add(Window+time.Second).Format(DateLayout)), dev), testBody, nil, fault.Expired, ""},
		{"nonce with slash", signed(set("x-acs-signature-nonce", "a/b"), dev), testBody, nil, fault.Invalid, ""},
		{"nonce too long", signed(set("x-acs-signature-nonce", strings.Repeat("a", 129)), dev), testBody, nil, fault.Invalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.after != nil {
				tc.after(tc.req)
			}
			v := NewVerifier(credentials.Dev(), func() time.Time { return t0 })
			_, err := v.Verify(tc.req, []byte(tc.body))
			f := fault.As(err)
			if err == nil || f.Kind != tc.kind || f.Code != tc.code {
				t.Errorf("got %v (kind %v, code %q), want kind %v code %q", err, f.Kind, f.Code, tc.kind, tc.code)
			}
			if v.seen.len() != 0 {
				t.Errorf("got %d cached nonces, want 0 for a refused request", v.seen.len())
			}
		})
	}
}

func TestVerifyAcceptsAndRefusesReplay(t *testing.T) {
	for _, skew := range []time.Duration{0, Window, -Window} {
		v := NewVerifier(credentials.Dev(), func() time.Time { return t0.Add(skew) })
		c, err := v.Verify(signed(nil, credentials.DevAlibabaSecret), []byte(testBody))
		if err != nil {
			t.Fatalf("skew %v: got %v, want success", skew, err)
		}
		if c.Account != credentials.DevAlibabaAccount || c.AccessKeyID != credentials.DevAlibabaKeyID {
			t.Errorf("skew %v: got caller %+v, want the dev account", skew, c)
		}
		if want := maxTime(t0, t0.Add(skew)).Add(Window); !c.NonceUntil.Equal(want) {
			t.Errorf("skew %v: got NonceUntil %v, want %v", skew, c.NonceUntil, want)
		}
		_, err = v.Verify(signed(nil, credentials.DevAlibabaSecret), []byte(testBody))
		if f := fault.As(err); f.Kind != fault.Replayed {
			t.Errorf("skew %v: replay got %v, want Replayed", skew, err)
		}
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func TestNonceClaim(t *testing.T) {
	c := Caller{AccessKeyID: "LTAIx", Account: "1", Nonce: "n1", At: t0, NonceUntil: t0.Add(Window)}
	a := c.SpendNonce()
	if a.Put == nil || a.Put.IfVersion != 0 {
		t.Fatalf("got %+v, want a Put of a new record", a)
	}
	rec := a.Put.Record
	want := store.Ref{Service: Service, Tenant: "1", Kind: "nonce", ID: "LTAIx/n1"}
	if rec.Ref != want || !rec.ExpiresAt.Equal(t0.Add(Window)) || !rec.CreatedAt.Equal(t0) || rec.Sealed != nil || len(rec.Claims) != 0 {
		t.Errorf("got %+v, want the nonce record %v expiring with the window", rec, want)
	}
	if f := Replayed(); f.Kind != fault.Replayed {
		t.Errorf("Replayed: got kind %v, want Replayed", f.Kind)
	}
}
