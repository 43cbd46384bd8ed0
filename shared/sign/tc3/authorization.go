// Package tc3 implements Tencent Cloud's TC3-HMAC-SHA256 request signature as small pure
// functions: parsing the Authorization header, the canonical request, the string to sign, the
// derived signing key and the signature. The server verifies with Verify; tests and tools that
// need a signed request use Sign.
//
// The steps follow the Go SDK (tencentcloud-sdk-go common v1.3.210, sendWithSignatureV3) and
// Tencent's signature v3 documentation (docs/wire/tencent.md, "TC3-HMAC-SHA256 signing"). Canonical headers are rebuilt from the SignedHeaders
// list the client sent, because clients other than the SDK sign more than content-type;host.
//
// Errors from this package never contain the header's signature or any key material.
package tc3

import (
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// Algorithm is the scheme name that starts a TC3 Authorization header.
const Algorithm = "TC3-HMAC-SHA256"

// Terminator ends every TC3 credential scope.
const Terminator = "tc3_request"

// DateLayout is the layout of the date in a credential scope (the UTC date of X-TC-Timestamp).
const DateLayout = "2006-01-02"

// ErrMalformed is wrapped by every ParseAuthorization error, so callers can tell a garbled
// header from other failures without reading messages.
var ErrMalformed = errors.New("tc3: malformed Authorization")

// Authorization is a parsed TC3 Authorization header.
type Authorization struct {
	SecretID      string
	Date          string   // YYYY-MM-DD, as sent
	Service       string   // e.g. "apigateway"; not derived from the host
	SignedHeaders []string // lower-case header names, in the order sent
	Signature     []byte   // 32 bytes, decoded from hex
}

// Scope returns the credential scope "<date>/<service>/tc3_request".
func (a Authorization) Scope() string {
	return a.Date + "/" + a.Service + "/" + Terminator
}

// String renders the header as the Go SDK does: ", " between the three parts.
func (a Authorization) String() string {
	return Algorithm + " Credential=" + a.SecretID + "/" + a.Scope() +
		", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") +
		", Signature=" + hex.EncodeToString(a.Signature)
}

// ParseAuthorization parses
//
//	TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=a;b, Signature=<hex>
//
// tolerating spaces around the commas. Each of the three parts must appear exactly once.
func ParseAuthorization(header string) (Authorization, error) {
	var a Authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || alg != Algorithm {
		return a, malformed("must start with " + Algorithm)
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || seen[name] {
			return a, malformed("parts must be Credential=, SignedHeaders= and Signature=, once each")
		}
		seen[name] = true
		if err := a.set(name, value); err != nil {
			return a, err
		}
	}
	if len(seen) != 3 {
		return a, malformed("needs Credential, SignedHeaders and Signature")
	}
	return a, nil
}

// set parses one name=value part into a.
func (a *Authorization) set(name, value string) error {
	switch name {
	case "Credential":
		return a.setCredential(value)
	case "SignedHeaders":
		return a.setSignedHeaders(value)
	case "Signature":
		sig, err := hex.DecodeString(value)
		if err != nil || len(sig) != 32 {
			return malformed("Signature must be 64 hex digits")
		}
		a.Signature = sig
		return nil
	}
	return malformed("unknown part")
}

// setCredential parses "<id>/<date>/<service>/tc3_request".
func (a *Authorization) setCredential(v string) error {
	parts := strings.Split(v, "/")
	if len(parts) != 4 || parts[3] != Terminator {
		return malformed("Credential must be <SecretId>/<date>/<service>/tc3_request")
	}
	if parts[0] == "" || !isToken(parts[0]) {
		return malformed("Credential has an empty or invalid SecretId")
	}
	if _, err := time.Parse(DateLayout, parts[1]); err != nil {
		return malformed("Credential date must be YYYY-MM-DD")
	}
	if parts[2] == "" || !isService(parts[2]) {
		return malformed("Credential has an empty or invalid service")
	}
	a.SecretID, a.Date, a.Service = parts[0], parts[1], parts[2]
	return nil
}

// setSignedHeaders parses "a;b;c" into lower-case names.
func (a *Authorization) setSignedHeaders(v string) error {
	names := strings.Split(v, ";")
	for i, n := range names {
		if n == "" || !isToken(n) {
			return malformed("SignedHeaders must be header names separated by ';'")
		}
		names[i] = strings.ToLower(n)
	}
	a.SignedHeaders = names
	return nil
}

// isToken reports whether s has only the characters an HTTP token (RFC 9110) allows.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// isService reports whether s may be a scope's service: a token, or a host[:port] without dots
// ("localhost:8080", "[::1]:8080"), which is what the Node.js and Java SDKs put there when their
// endpoint has no dot before the port.
func isService(s string) bool {
	return isToken(strings.Map(func(c rune) rune {
		if c == ':' || c == '[' || c == ']' {
			return 'x'
		}
		return c
	}, s))
}

func malformed(why string) error {
	return &parseError{why: why}
}

// parseError says which part of the header is wrong, never what it contained.
type parseError struct{ why string }

func (e *parseError) Error() string { return "tc3: Authorization " + e.why }
func (e *parseError) Unwrap() error { return ErrMalformed }
