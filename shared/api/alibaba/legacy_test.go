package alibaba

import (
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/sign/acs1"
)

// legacySigned builds a request as tea-roa sends it (Terraform's alicloud provider), lets edit
// change it before signing and signs it in the legacy scheme.
func legacySigned(edit func(r *http.Request), secret string) *http.Request {
	r := httptest.NewRequest("POST", "http://127.0.0.1:8080/v1/secrets", strings.NewReader(testBody))
	for k, v := range map[string]string{"date": t0.Format(http.TimeFormat), "accept": "application/json",
		"content-type": "application/json; charset=utf-8", "x-acs-signature-nonce": "0123456789abcdef",
		"x-acs-signature-method": "HMAC-SHA1", "x-acs-signature-version": "1.0", "x-acs-version": "2024-03-27"} {
		r.Header.Set(k, v)
	}
	if edit != nil {
		edit(r)
	}
	acs1.Sign(r, credentials.DevAlibabaKeyID, secret)
	return r
}

func TestVerifyLegacy(t *testing.T) {
	dev := credentials.DevAlibabaSecret
	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	del := func(k string) func(*http.Request) { return func(r *http.Request) { r.Header.Del(k) } }
	md5of := func(s string) string { sum := md5.Sum([]byte(s)); return base64.StdEncoding.EncodeToString(sum[:]) }
	for _, tc := range []struct {
		name  string
		req   *http.Request
		after func(r *http.Request) // changes made after signing
		kind  fault.Kind
		code  string
	}{
		{"garbled", legacySigned(nil, dev), set("Authorization", "acs "+credentials.DevAlibabaKeyID+":c2ln"), fault.Unauthenticated, ""},
		{"two authorization headers", legacySigned(nil, dev), func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) }, fault.Unauthenticated, ""},
		{"unknown key", legacySigned(nil, dev), func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), credentials.DevAlibabaKeyID, "LTAInobody", 1))
		}, fault.Unauthenticated, CodeAccessKeyNotFound},
		{"wrong secret", legacySigned(nil, "wrong"), nil, fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"tampered x-acs header", legacySigned(nil, dev), set("x-acs-version", "2099-01-01"), fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"smuggled x-acs header", legacySigned(nil, dev), set("x-acs-security-token", "t"), fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"tampered path", legacySigned(nil, dev), func(r *http.Request) { r.URL.Path = "/v1/secrets/other" }, fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"content-md5 of another body", legacySigned(set("content-md5", md5of("other")), dev), nil, fault.Unauthenticated, CodeSignatureDoesNotMatch},
		{"no date", legacySigned(del("date"), dev), nil, fault.Unauthenticated, ""},
		{"no nonce", legacySigned(del("x-acs-signature-nonce"), dev), nil, fault.Unauthenticated, ""},
		{"no signature method", legacySigned(del("x-acs-signature-method"), dev), nil, fault.Unauthenticated, ""},
		{"SHA-256 claimed", legacySigned(set("x-acs-signature-method", "HMAC-SHA256"), dev), nil, fault.Unauthenticated, ""},
		{"version 2.0 claimed", legacySigned(set("x-acs-signature-version", "2.0"), dev), nil, fault.Unauthenticated, ""},
		{"unparsable date", legacySigned(set("date", t0.Format(DateLayout)), dev), nil, fault.Expired, CodeTimeStampFormat},
		{"stale date", legacySigned(set("date", t0.Add(-Window-time.Second).Format(http.TimeFormat)), dev), nil, fault.Expired, ""},
		{"future date", legacySigned(set("date", t0.Add(Window+time.Second).Format(http.TimeFormat)), dev), nil, fault.Expired, ""},
		{"nonce with slash", legacySigned(set("x-acs-signature-nonce", "a/b"), dev), nil, fault.Invalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.after != nil {
				tc.after(tc.req)
			}
			v := NewVerifier(credentials.Dev(), func() time.Time { return t0 })
			_, err := v.Verify(tc.req, []byte(testBody))
			f := fault.As(err)
			if err == nil || f.Kind != tc.kind || f.Code != tc.code {
				t.Errorf("got %v (kind %v, code %q), want kind %v code %q", err, f.Kind, f.Code, tc.kind, tc.code)
			}
			if v.seen.len() != 0 {
				t.Errorf("got %d cached nonces, want 0 for a refused request", v.seen.len())
			}
			// Precheck refuses what needs no body, clock or signature: the header's form, the
			// key, the headers the scheme requires.
			wantPre := tc.kind == fault.Unauthenticated && tc.code != CodeSignatureDoesNotMatch
			if perr := Precheck(credentials.Dev(), tc.req); (perr != nil) != wantPre {
				t.Errorf("Precheck got %v, want a refusal: %v", perr, wantPre)
			}
		})
	}
}

// TestVerifyLegacyAcceptsAndRefusesReplay: a good legacy request (with or without content-md5)
// names the key's account; the same nonce again is a replay.
func TestVerifyLegacyAcceptsAndRefusesReplay(t *testing.T) {
	sum := md5.Sum([]byte(testBody))
	for _, edit := range []func(*http.Request){nil, func(r *http.Request) { r.Header.Set("content-md5", base64.StdEncoding.EncodeToString(sum[:])) }} {
		v := NewVerifier(credentials.Dev(), func() time.Time { return t0.Add(Window) })
		c, err := v.Verify(legacySigned(edit, credentials.DevAlibabaSecret), []byte(testBody))
		if err != nil || c.Account != credentials.DevAlibabaAccount || c.AccessKeyID != credentials.DevAlibabaKeyID {
			t.Fatalf("got %+v, %v; want the dev account", c, err)
		}
		if !c.NonceUntil.Equal(t0.Add(2 * Window)) {
			t.Errorf("got NonceUntil %v, want %v", c.NonceUntil, t0.Add(2*Window))
		}
		if _, err := v.Verify(legacySigned(edit, credentials.DevAlibabaSecret), []byte(testBody)); fault.As(err).Kind != fault.Replayed {
			t.Errorf("replay: got %v, want Replayed", err)
		}
	}
}
