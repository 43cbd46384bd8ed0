package tc3

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrSignedHeaders is returned when SignedHeaders lacks content-type or host: without them the
// signature would not bind the body's type or the server it was meant for.
var ErrSignedHeaders = errors.New("tc3: SignedHeaders must include content-type and host")

// Request is the part of an HTTP request that TC3 covers.
type Request struct {
	Method string
	// Query is the raw query string as sent (empty for the SDK's POST requests).
	Query string
	// Header returns a header's value by lower-case name; "host" must give the Host header.
	Header  func(name string) string
	Payload []byte
}

// CanonicalRequest builds the six-line canonical request. The canonical URI is always "/"
// (the SDK signs "/" whatever the URL path). Each signed header contributes
// "<lower-case name>:<lower-case trimmed value>\n", in the order signedHeaders lists them.
func CanonicalRequest(r Request, signedHeaders []string) (string, error) {
	if err := CheckSignedHeaders(signedHeaders); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(r.Method + "\n/\n" + r.Query + "\n")
	for _, name := range signedHeaders {
		b.WriteString(name + ":" + strings.ToLower(strings.TrimSpace(r.Header(name))) + "\n")
	}
	b.WriteString("\n" + strings.Join(signedHeaders, ";") + "\n" + hashHex(r.Payload))
	return b.String(), nil
}

// CheckSignedHeaders returns ErrSignedHeaders unless names include content-type and host.
func CheckSignedHeaders(names []string) error {
	if !slices.Contains(names, "content-type") || !slices.Contains(names, "host") {
		return ErrSignedHeaders
	}
	return nil
}

// StringToSign joins the algorithm, the X-TC-Timestamp value exactly as sent, the credential
// scope and the hex SHA-256 of the canonical request.
func StringToSign(timestamp, scope, canonicalRequest string) string {
	return Algorithm + "\n" + timestamp + "\n" + scope + "\n" + hashHex([]byte(canonicalRequest))
}

// SigningKey derives the key for one date and service from a SecretKey:
// HMAC(HMAC(HMAC("TC3"+secretKey, date), service), "tc3_request").
func SigningKey(secretKey, date, service string) []byte {
	k := mac([]byte("TC3"+secretKey), date)
	k = mac(k, service)
	return mac(k, Terminator)
}

// Signature returns HMAC-SHA256(signingKey, stringToSign) as raw bytes.
func Signature(signingKey []byte, stringToSign string) []byte {
	return mac(signingKey, stringToSign)
}

// Verify reports whether a's signature is right for r under secretKey. timestamp is the
// X-TC-Timestamp header as sent. It compares with hmac.Equal. It does not check the clock,
// the scope's service or date: the caller knows which ones it accepts.
func Verify(secretKey string, a Authorization, timestamp string, r Request) (bool, error) {
	canonical, err := CanonicalRequest(r, a.SignedHeaders)
	if err != nil {
		return false, err
	}
	want := Signature(SigningKey(secretKey, a.Date, a.Service), StringToSign(timestamp, a.Scope(), canonical))
	return hmac.Equal(want, a.Signature), nil
}

// Sign returns the Authorization header value for r, signed at t for service with the given
// SecretId and SecretKey. signedHeaders are lower-case names; nil means "content-type;host", as
// the SDK signs. The caller sends X-TC-Timestamp = t.Unix().
func Sign(secretID, secretKey, service string, t time.Time, signedHeaders []string, r Request) (string, error) {
	if signedHeaders == nil {
		signedHeaders = []string{"content-type", "host"}
	}
	a := Authorization{
		SecretID: secretID, Date: t.UTC().Format(DateLayout), Service: service,
		SignedHeaders: signedHeaders,
	}
	canonical, err := CanonicalRequest(r, signedHeaders)
	if err != nil {
		return "", err
	}
	ts := strconv.FormatInt(t.Unix(), 10)
	a.Signature = Signature(SigningKey(secretKey, a.Date, service), StringToSign(ts, a.Scope(), canonical))
	return a.String(), nil
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
