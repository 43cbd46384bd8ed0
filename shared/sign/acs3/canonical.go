package acs3

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// ACS3 uses RFC 3986 escaping where Go's escapers differ: '+' (a space from QueryEscape) becomes
// %20, '*' becomes %2A and %7E goes back to '~'. Applied to the URI and the query alike.
var rfc3986 = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

// CanonicalURI returns the canonical URI of an escaped request path (as sent on the wire, e.g.
// r.URL.EscapedPath()): the path with the RFC 3986 replacements, "/" when empty.
func CanonicalURI(escapedPath string) string {
	if escapedPath == "" {
		return "/"
	}
	return rfc3986.Replace(escapedPath)
}

// CanonicalQuery returns the canonical query string of a parsed query: keys sorted, each
// written as key=QueryEscape(value) (key= for an empty value), joined by '&', then the RFC 3986
// replacements. Keys are written unescaped, as the SDK does. The SDK sends one value per key;
// a repeated key contributes one pair per value, values sorted, so the form is deterministic.
func CanonicalQuery(q url.Values) string {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	})
	var b strings.Builder
	for _, k := range keys {
		for _, v := range slices.Sorted(slices.Values(q[k])) {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return rfc3986.Replace(b.String())
}

// CanonicalHeaders returns the canonical headers for the signed names (lower-case, ascending):
// one "name:value\n" line each, values trimmed, several values sorted and joined by ','. The
// host header comes from host, since net/http keeps it out of the header map. A signed name
// with no value gives an empty value, as the SDK would have hashed it.
func CanonicalHeaders(h http.Header, host string, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		vals := []string{host}
		if name != "host" {
			vals = h.Values(name)
		}
		trimmed := make([]string, len(vals))
		for i, v := range vals {
			trimmed[i] = strings.TrimSpace(v)
		}
		slices.Sort(trimmed)
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.Join(trimmed, ","))
		b.WriteByte('\n')
	}
	return b.String()
}

// CanonicalRequest joins the parts: METHOD, URI, query, headers (which end in '\n', so a blank
// line follows), the signed names joined by ';', and the hex SHA-256 of the payload.
func CanonicalRequest(method, uri, query, headers string, signed []string, payloadHash string) string {
	return method + "\n" + uri + "\n" + query + "\n" + headers + "\n" +
		strings.Join(signed, ";") + "\n" + payloadHash
}

// StringToSign returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonicalRequest)).
func StringToSign(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// Signature returns hex(HMAC-SHA256(secret, stringToSign)).
func Signature(secret, stringToSign string) string {
	return hex.EncodeToString(mac(secret, stringToSign))
}

// Verify reports whether sigHex is the signature of stringToSign under secret. The comparison
// is constant-time (hmac.Equal) so timing does not reveal how much of a forgery was right.
func Verify(secret, stringToSign, sigHex string) bool {
	got, err := hex.DecodeString(sigHex)
	if err != nil {
		return false
	}
	return hmac.Equal(got, mac(secret, stringToSign))
}

// HashPayload returns hex(SHA-256(body)), the x-acs-content-sha256 value.
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func mac(secret, msg string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return m.Sum(nil)
}
