// Package acs1 is Alibaba Cloud's legacy ROA signature (HMAC-SHA1, signature version 1.0):
// Authorization: acs <AccessKeyId>:<base64 HMAC-SHA1 of the string to sign>. The string to sign
// is the method, then the accept, content-md5, content-type and date headers, each followed by
// a newline, then every x-acs-* header as "name:value\n" in ascending name order, then the path
// with its query keys sorted and written raw ("k=v", or "k" for an empty value). It is what
// tea-roa's client and darabonba-openapi's DoROARequest send (docs/wire/alibaba.md, "Legacy
// ROA signature"); Terraform's alicloud provider signs its ROA calls this way.
//
// Security caveat: the scheme covers neither the host nor the body (the clients send no
// content-md5), so a signature proves who sent the method, path, query and x-acs-* headers,
// and nothing about the body. Freshness and replay are the verifier's: the date header's window
// and the x-acs-signature-nonce.
package acs1

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Scheme is the Authorization scheme word, with its space.
const Scheme = "acs "

// ErrMalformed is returned for an Authorization value that is not "acs <AccessKeyId>:<base64>".
var ErrMalformed = errors.New("acs1: malformed Authorization header")

// ParseAuthorization splits "acs <AccessKeyId>:<signature>". The id must be non-empty and
// printable without spaces or colons; the signature must be standard base64 of 20 bytes.
func ParseAuthorization(v string) (accessKeyID, signature string, err error) {
	rest, ok := strings.CutPrefix(v, Scheme)
	if !ok {
		return "", "", ErrMalformed
	}
	id, sig, ok := strings.Cut(rest, ":")
	if !ok || id == "" || strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return "", "", ErrMalformed
	}
	if b, err := base64.StdEncoding.Strict().DecodeString(sig); err != nil || len(b) != sha1.Size {
		return "", "", ErrMalformed
	}
	return id, sig, nil
}

// StringToSign builds the string to sign of r as the clients do; the path is r's escaped path,
// as sent on the wire.
func StringToSign(r *http.Request) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	for _, h := range []string{"accept", "content-md5", "content-type", "date"} {
		b.WriteString(r.Header.Get(h) + "\n")
	}
	var names []string
	for k := range r.Header {
		if n := strings.ToLower(k); strings.HasPrefix(n, "x-acs-") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		b.WriteString(n + ":" + strings.Join(r.Header.Values(n), ",") + "\n")
	}
	b.WriteString(resource(r.URL.EscapedPath(), r.URL.Query()))
	return b.String()
}

// resource is the path, then "?" and the query with keys sorted, raw values, "&"-joined.
func resource(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if v := q.Get(k); v != "" {
			parts = append(parts, k+"="+v)
		} else {
			parts = append(parts, k)
		}
	}
	return path + "?" + strings.Join(parts, "&")
}

// Signature is base64(HMAC-SHA1(secret, stringToSign)).
func Signature(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is stringToSign's under secret, in constant time.
func Verify(secret, stringToSign, signature string) bool {
	return hmac.Equal([]byte(Signature(secret, stringToSign)), []byte(signature))
}

// Sign sets r's Authorization from its headers as they are: the caller sets date, accept,
// content-type and the x-acs-* headers first. It is for tests, never for the server's checks.
func Sign(r *http.Request, accessKeyID, secret string) {
	r.Header.Set("Authorization", Scheme+accessKeyID+":"+Signature(secret, StringToSign(r)))
}
