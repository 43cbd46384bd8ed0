// Package acs3 implements Alibaba Cloud's ACS3-HMAC-SHA256 request signature (the "V3"
// signature the darabonba-openapi SDKs send for ROA operations such as APIG) as small pure
// functions: parse the Authorization header, build each canonical part, derive the signature,
// and Sign a request the way the SDK does.
//
// The steps follow the SDK's own signing code byte for byte (docs/wire/alibaba.md, "ACS3
// signature", names the source and version), because a server must rebuild exactly what the SDK
// hashed. The package knows nothing about credentials, clocks or nonces; the vendor's verifier
// decides what a valid request needs.
package acs3

import (
	"errors"
	"strings"
)

// Algorithm is the only signature algorithm this package speaks. ACS3-HMAC-SM3 and
// ACS3-RSA-SHA256 exist but are never sent by default SDK configurations.
const Algorithm = "ACS3-HMAC-SHA256"

// Limits that keep a hostile header cheap to refuse. Real headers are far below them: an
// AccessKeyId is ~24 characters, the SDK signs about eight headers, a signature is 64 hex.
const (
	maxHeaderLen     = 4096
	maxAccessKeyID   = 128
	maxSignedHeaders = 64
	signatureHexLen  = 64 // hex of a SHA-256 HMAC
)

// ErrMalformed is returned for every Authorization value that is not a well-formed
// ACS3-HMAC-SHA256 header. One error for every shape keeps the message free of header content.
var ErrMalformed = errors.New("acs3: Authorization is not a well-formed ACS3-HMAC-SHA256 value")

// Authorization is a parsed ACS3-HMAC-SHA256 Authorization header.
type Authorization struct {
	AccessKeyID   string
	SignedHeaders []string // lower-case, strictly ascending, as the SDK sends them
	Signature     string   // 64 lower-case hex characters
}

// Value renders a as an Authorization header value, in the SDK's exact form (no spaces after
// the commas). It is deliberately not String, so that fmt never prints a signature by accident.
func (a Authorization) Value() string {
	return Algorithm + " Credential=" + a.AccessKeyID + ",SignedHeaders=" +
		strings.Join(a.SignedHeaders, ";") + ",Signature=" + a.Signature
}

// ParseAuthorization parses `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<a;b>,Signature=<hex>`.
// Each part must appear exactly once; spaces after the commas are tolerated. SignedHeaders must
// be lower-case and strictly ascending, as the SDK sorts them: accepting any other order would
// give one signature two canonical forms. The signature is normalised to lower case.
func ParseAuthorization(v string) (Authorization, error) {
	if len(v) > maxHeaderLen {
		return Authorization{}, ErrMalformed
	}
	rest, ok := strings.CutPrefix(v, Algorithm+" ")
	if !ok {
		return Authorization{}, ErrMalformed
	}
	var a Authorization
	var seen [3]bool
	for part := range strings.SplitSeq(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Authorization{}, ErrMalformed
		}
		i, err := a.set(name, value)
		if err != nil || seen[i] {
			return Authorization{}, ErrMalformed
		}
		seen[i] = true
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return Authorization{}, ErrMalformed
	}
	return a, nil
}

// set stores one name=value part and returns its index, for the exactly-once check.
func (a *Authorization) set(name, value string) (int, error) {
	switch name {
	case "Credential":
		if !validAccessKeyID(value) {
			return 0, ErrMalformed
		}
		a.AccessKeyID = value
		return 0, nil
	case "SignedHeaders":
		names, ok := parseSignedHeaders(value)
		if !ok {
			return 0, ErrMalformed
		}
		a.SignedHeaders = names
		return 1, nil
	case "Signature":
		if !isHex(value, signatureHexLen) {
			return 0, ErrMalformed
		}
		a.Signature = strings.ToLower(value)
		return 2, nil
	}
	return 0, ErrMalformed
}

// validAccessKeyID accepts 1..maxAccessKeyID printable ASCII characters other than space,
// comma, semicolon and slash: enough for every real AccessKeyId (letters and digits) and STS
// ids, and never anything that could split a header or a store key.
func validAccessKeyID(s string) bool {
	if s == "" || len(s) > maxAccessKeyID {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c > '~' || c == ',' || c == ';' || c == '/' {
			return false
		}
	}
	return true
}

// parseSignedHeaders splits a;b;c and checks every name is a lower-case header token and the
// list is strictly ascending.
func parseSignedHeaders(v string) ([]string, bool) {
	names := strings.Split(v, ";")
	if len(names) > maxSignedHeaders {
		return nil, false
	}
	for i, n := range names {
		if !isLowerToken(n) || (i > 0 && names[i-1] >= n) {
			return nil, false
		}
	}
	return names, true
}

// isLowerToken reports whether s is a non-empty lower-case header name: letters, digits, '-'
// (all the SDK signs), plus '_' and '.', which HTTP allows in names and proxies pass through.
func isLowerToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// isHex reports whether s is exactly n hex digits.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
