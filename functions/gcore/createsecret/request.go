package createsecret

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// Field limits. Gcore secrets are Barbican secrets, so Barbican's schema bounds apply
// (docs/wire/gcore.md, "Barbican's rules"): strings at most 255 characters, bit_length 1..32767.
const (
	maxString    = 255
	maxBitLength = 32767
	// maxPayload bounds the base64 text of payload. Barbican refuses a payload over
	// max_allowed_secret_in_bytes (20000, its UTF-8 form) with 413; the bound also keeps a
	// sealed record well inside DynamoDB's 400 KB item limit, so a large body is the client's
	// 413 rather than our 500.
	maxPayload = 20000
)

// secretTypes is Gcore's secret_type enum, in its documented order.
var secretTypes = []string{"certificate", "opaque", "passphrase", "private", "public", "symmetric"}

// request is a decoded, valid create-secret body.
type request struct {
	Name               string
	PayloadContentType string
	SecretType         string
	Algorithm          string    // "" when absent
	Mode               string    // "" when absent
	BitLength          int64     // 0 when absent
	Expiration         time.Time // zero when absent
	// plaintext is the decoded payload: base64 is only how the bytes travel in JSON
	// (payload_content_encoding), so the bytes are the secret, as Barbican stores them.
	plaintext []byte
}

// decode parses and validates a create-secret body. Every field that breaks a rule is reported:
// the error is an errors.Join of field faults. Unknown fields are ignored, as Gcore's
// schema-based validation and Barbican's schema (no additionalProperties:false) ignore them, so
// a newer SDK sending an extra optional field still works. JSON null counts as absent. Text that
// is not Unicode is refused first and alone, since no field can be read from it as sent.
func decode(body []byte, now time.Time) (request, error) {
	// Before decoding: encoding/json would turn text that is not Unicode into U+FFFD, and the
	// secret's metadata would then differ from what was sent.
	if err := valid.JSONText(body); err != nil {
		return request{}, err
	}
	fields, err := object(body)
	if err != nil {
		return request{}, err
	}
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	var req request
	var payload, encoding, expiration string
	req.Name, err = text(fields, "name", true)
	check(err)
	payload, err = text(fields, "payload", true)
	check(err)
	if err == nil {
		req.plaintext, err = decodePayload(payload)
		check(err)
	}
	encoding, err = text(fields, "payload_content_encoding", true)
	check(err)
	if err == nil {
		check(valid.OneOf("payload_content_encoding", encoding, "base64"))
	}
	req.PayloadContentType, err = text(fields, "payload_content_type", true)
	check(err)
	req.SecretType, err = text(fields, "secret_type", true)
	check(err)
	if err == nil {
		check(valid.OneOf("secret_type", req.SecretType, secretTypes...))
	}
	req.Algorithm, err = text(fields, "algorithm", false)
	check(err)
	req.BitLength, err = bitLength(fields["bit_length"])
	check(err)
	expiration, err = text(fields, "expiration", false)
	check(err)
	if err == nil && expiration != "" {
		req.Expiration, err = future(expiration, now)
		check(err)
	}
	req.Mode, err = text(fields, "mode", false)
	check(err)
	if len(errs) > 0 {
		clear(req.plaintext)
		return request{}, errors.Join(errs...)
	}
	return req, nil
}

// object splits a JSON object into its members. The parser's own message is not passed on: it
// can quote bytes of the body, and the body holds a secret.
func object(body []byte) (map[string]json.RawMessage, error) {
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fault.New(fault.Malformed, "", "JSON parse error: the body must be a JSON object.")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fault.New(fault.Malformed, "", "JSON parse error: the body is not valid JSON.")
	}
	return fields, nil
}

// text reads a string member: absent, null or (when required) empty is Missing; another JSON
// type is Invalid; more than maxString characters is Invalid. payload has its own size rule.
func text(fields map[string]json.RawMessage, name string, required bool) (string, error) {
	raw, ok := fields[name]
	if !ok || isNull(raw) {
		return "", requiredErr(name, required)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fault.New(fault.Invalid, name, "must be a string")
	}
	if s == "" {
		return "", requiredErr(name, required)
	}
	if name == "payload" {
		return s, nil
	}
	return s, valid.Length(name, s, 0, maxString)
}

func requiredErr(name string, required bool) error {
	if required {
		return valid.Required(name, "")
	}
	return nil
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// decodePayload checks the payload's size, then decodes it as strict, padded standard base64.
// Go's Strict decoder still skips CR and LF, so line-wrapped base64 is refused here first:
// strict means the text is exactly one base64 string.
func decodePayload(s string) ([]byte, error) {
	if len(s) > maxPayload {
		return nil, fault.Newf(fault.TooLarge, "payload", "must be at most %d characters of base64", maxPayload)
	}
	if strings.ContainsAny(s, "\r\n") {
		return nil, fault.New(fault.Invalid, "payload", "must be valid base64")
	}
	return valid.Base64("payload", s)
}

// bitLength reads the optional bit_length: a JSON integer literal from 1 to 32767. Fractions,
// exponents and strings are refused even when they denote an integer, so "256", 256.0 and 2.56e2
// all name bit_length.
func bitLength(raw json.RawMessage) (int64, error) {
	if raw == nil || isNull(raw) {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return 0, fault.New(fault.Invalid, "bit_length", "must be an integer")
	}
	if n < 1 || n > maxBitLength {
		return 0, fault.Newf(fault.Invalid, "bit_length", "must be an integer from 1 to %d", maxBitLength)
	}
	return n, nil
}

// future parses expiration and requires it to be after now: Barbican refuses an expiration that
// is not in the future ("'expiration' is before current time"; docs/wire/gcore.md, "Barbican's
// rules").
func future(s string, now time.Time) (time.Time, error) {
	t, err := valid.Datetime("expiration", s)
	if err != nil {
		return time.Time{}, err
	}
	return t, valid.Future("expiration", t, now)
}
