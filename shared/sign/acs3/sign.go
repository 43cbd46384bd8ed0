package acs3

import (
	"net/http"
	"slices"
	"strings"
)

// Sign signs r the way darabonba-openapi does: it sets x-acs-content-sha256 from body, signs
// host, content-type and every x-acs-* header present, and sets Authorization. The caller sets
// the other headers first (x-acs-date, x-acs-signature-nonce, content-type, ...); headers added
// after Sign are not covered. It is for tests and for tools that forge signed events, never
// for the server's own checks.
func Sign(r *http.Request, body []byte, accessKeyID, secret string) {
	r.Header.Set("x-acs-content-sha256", HashPayload(body))
	a := Authorization{AccessKeyID: accessKeyID, SignedHeaders: SignableHeaders(r.Header)}
	a.Signature = Signature(secret, StringToSign(RequestCanonical(r, a.SignedHeaders)))
	r.Header.Set("Authorization", a.Value())
}

// SignableHeaders returns the lower-case names the SDK signs from h, ascending: "host" always,
// "content-type" when present, and every name starting with "x-acs-".
func SignableHeaders(h http.Header) []string {
	names := []string{"host"}
	for k := range h {
		if n := strings.ToLower(k); n == "content-type" || strings.HasPrefix(n, "x-acs-") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// RequestCanonical builds the canonical request of r for the given signed names; the payload
// hash is taken from r's x-acs-content-sha256 header, which the verifier checks against the
// body separately.
func RequestCanonical(r *http.Request, signed []string) string {
	return CanonicalRequest(r.Method, CanonicalURI(r.URL.EscapedPath()), CanonicalQuery(r.URL.Query()),
		CanonicalHeaders(r.Header, r.Host, signed), signed, r.Header.Get("x-acs-content-sha256"))
}
