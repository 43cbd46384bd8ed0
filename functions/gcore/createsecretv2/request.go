package createsecretv2

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// Field limits (docs/wire/gcore.md, "Secrets v2"): strings at most 255 characters, as
// Barbican's schema bounds them, and each PEM field at most 20000 characters, Barbican's
// max_allowed_secret_in_bytes for one secret; a larger PEM field is 413.
const (
	maxString = 255
	maxPEM    = 20000
)

// The payload's members, named as invalid_fields names them: Gcore's validation (pydantic)
// spells a nested field by its path.
const (
	fieldCertificate = "payload.certificate"
	fieldChain       = "payload.certificate_chain"
	fieldPrivateKey  = "payload.private_key"
)

// request is a decoded, valid v2 create body.
type request struct {
	Name       string
	Expiration time.Time // zero when absent
	// bundle is the PEM text the secret stores: the certificate, its chain and its private
	// key, in that order, each block as sent. It is the secret; callers clear it.
	bundle []byte
}

// decode parses and validates a v2 create body. Every field that breaks a rule is reported
// (an errors.Join of field faults); unknown members are ignored and JSON null counts as
// absent, as in the v1 create. Text that is not Unicode is refused first and alone.
func decode(body []byte, now time.Time) (request, error) {
	if err := valid.JSONText(body); err != nil {
		return request{}, err
	}
	fields, err := object(body, "", "JSON parse error: the body must be a JSON object.")
	if err != nil {
		return request{}, err
	}
	var errs []error
	var req request
	req.Name, err = text(fields, "name", true, maxString)
	errs = append(errs, err)
	req.bundle, err = payload(fields["payload"])
	errs = append(errs, err)
	expiration, err := text(fields, "expiration", false, maxString)
	errs = append(errs, err)
	if err == nil && expiration != "" {
		req.Expiration, err = future(expiration, now)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		clear(req.bundle)
		return request{}, err
	}
	return req, nil
}

// object splits a JSON object into its members. A value that is not an object is a fault on
// field ("" for the body) with reason; the parser's own message is never passed on, since it
// can quote the body, and the body holds a private key.
func object(raw []byte, field, reason string) (map[string]json.RawMessage, error) {
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fault.New(fault.Malformed, field, reason)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fault.New(fault.Malformed, field, "JSON parse error: the body is not valid JSON.")
	}
	return fields, nil
}

// payload reads the payload object and checks its three PEM members (pem.go). A payload that
// is absent or null is Missing; one that is not an object is Malformed (both 400).
func payload(raw json.RawMessage) ([]byte, error) {
	if raw == nil || isNull(raw) {
		return nil, valid.Required("payload", "")
	}
	fields, err := object(raw, "payload", "must be an object with certificate, certificate_chain and private_key")
	if err != nil {
		return nil, err
	}
	certPEM, certErr := pemText(fields, "certificate")
	chainPEM, chainErr := pemText(fields, "certificate_chain")
	keyPEM, keyErr := pemText(fields, "private_key")
	return checkPEM(pemField{certPEM, certErr}, pemField{chainPEM, chainErr}, pemField{keyPEM, keyErr})
}

// text reads a string member named field: absent, null or (when required) empty is Missing;
// another JSON type is Invalid; more than max characters is Invalid.
func text(fields map[string]json.RawMessage, field string, required bool, max int) (string, error) {
	s, err := member(fields, field, field, required)
	if err != nil || s == "" {
		return s, err
	}
	return s, valid.Length(field, s, 0, max)
}

// pemText reads the payload member name, a PEM string of at most maxPEM characters (more is
// TooLarge, 413); its faults name it by its path, payload.<name>.
func pemText(payload map[string]json.RawMessage, name string) (string, error) {
	field := "payload." + name
	s, err := member(payload, name, field, true)
	if err == nil && len(s) > maxPEM {
		return "", fault.Newf(fault.TooLarge, field, "must be at most %d characters", maxPEM)
	}
	return s, err
}

// member reads the string member key, reporting faults on field.
func member(fields map[string]json.RawMessage, key, field string, required bool) (string, error) {
	raw, ok := fields[key]
	if !ok || isNull(raw) {
		return "", requiredErr(field, required)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fault.New(fault.Invalid, field, "must be a string")
	}
	if s == "" {
		return "", requiredErr(field, required)
	}
	return s, nil
}

func requiredErr(field string, required bool) error {
	if required {
		return valid.Required(field, "")
	}
	return nil
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// future parses expiration and requires it to be after now, as Barbican does
// (docs/wire/gcore.md, "Barbican's rules"). GC-labs sends it without a zone and with up to six
// fractional digits, GC-go as RFC 3339; valid.Datetime reads both.
func future(s string, now time.Time) (time.Time, error) {
	t, err := valid.Datetime("expiration", s)
	if err != nil {
		return time.Time{}, err
	}
	return t, valid.Future("expiration", t, now)
}
