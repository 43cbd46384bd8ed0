package createsecret

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"keyport/shared/api/keymanager"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// optional is one string member of the body: absent, JSON null, or a (stripped) value.
type optional struct {
	present bool // the key is in the body, possibly as null
	null    bool
	value   string
}

// set reports whether the member holds a string.
func (o optional) set() bool { return o.present && !o.null }

// request is a create body after Barbican's schema stage; validate fills expires and plaintext.
type request struct {
	name, algorithm, mode, expiration, payload optional
	secretType, contentType, encoding          optional
	bitLength                                  int // 0 when absent

	expires   time.Time // zero: never
	plaintext []byte    // what is sealed; nil when there is no payload
}

// secretTypes is the schema's secret_type enum, in Barbican's order.
var secretTypes = []string{"symmetric", "passphrase", "private", "public", "certificate", "opaque"}

const (
	maxBitLength = 32767 // MYSQL_SMALL_INT_MAX in Barbican's schema
	maxText      = 255
)

// decode parses body and applies every rule of layout l; its errors are all client faults.
func decode(body []byte, now time.Time, l keymanager.Layout) (*request, error) {
	req, err := parse(body)
	if err != nil {
		return nil, err
	}
	return req, req.validate(now, rulesOf(l))
}

// parse is Barbican's load_body plus the JSON-schema check of NewSecretValidator, in the
// schema's property order (docs/wire/keymanager.md, "Create"). Keys match exactly (Barbican validates a Python dict), which is why
// the body is read as a map and not into a struct: encoding/json matches struct fields without
// regard to case. Keys the schema does not name are ignored, as the schema allows.
func parse(body []byte) (*request, error) {
	if err := unicodeBody(body); err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, fault.New(fault.Malformed, "", "Malformed JSON")
	}
	var req request
	var errs [9]error
	req.name, errs[0] = text(m, "name", true, maxText)
	req.algorithm, errs[1] = text(m, "algorithm", false, maxText)
	req.mode, errs[2] = text(m, "mode", false, maxText)
	req.bitLength, errs[3] = integer(m, "bit_length", 1, maxBitLength)
	req.expiration, errs[4] = text(m, "expiration", false, maxText)
	req.payload, errs[5] = text(m, "payload", false, 0) // unbounded; the body limit caps it
	req.secretType, errs[6] = enum(m, "secret_type", secretTypes)
	req.contentType, errs[7] = text(m, "payload_content_type", true, maxText)
	req.encoding, errs[8] = enum(m, "payload_content_encoding", []string{"base64"})
	if err := valid.First(errs[:]...); err != nil {
		return nil, err
	}
	if !req.secretType.set() {
		req.secretType = optional{present: true, value: "opaque"} // the schema's default
	}
	return &req, nil
}

// unicodeBody refuses a body that is not Unicode text before it is decoded: encoding/json would turn
// it into U+FFFD and store a name or payload other than the one sent. Text in a member is a
// schema failure naming the member, as Barbican reports any bad property; bad text that names no
// member leaves nothing to name, so it is Barbican's undecodable body, a 400 with the reason.
func unicodeBody(body []byte) error {
	err := valid.JSONText(body)
	if f := fault.As(err); err != nil && f.Field == "" {
		return fault.New(fault.Malformed, "", f.Reason)
	}
	return err
}

// text reads a string member, stripped of surrounding whitespace as Barbican's load_body strips
// every string before the schema sees it; maxLen (in characters, 0: none) applies after that.
func text(m map[string]json.RawMessage, field string, nullable bool, maxLen int) (optional, error) {
	raw, ok := m[field]
	if !ok {
		return optional{}, nil
	}
	if string(raw) == "null" {
		if nullable {
			return optional{present: true, null: true}, nil
		}
		return optional{}, notType(field, nullable)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return optional{}, notType(field, nullable)
	}
	s = strings.TrimFunc(s, isPySpace)
	if maxLen > 0 && utf8.RuneCountInString(s) > maxLen {
		return optional{}, fault.Newf(fault.Invalid, field, "value is too long (maxLength %d)", maxLen)
	}
	return optional{present: true, value: s}, nil
}

// enum reads a string member that must be one of allowed (exact, after stripping).
func enum(m map[string]json.RawMessage, field string, allowed []string) (optional, error) {
	o, err := text(m, field, false, maxText)
	if err != nil || !o.present {
		return o, err
	}
	for _, a := range allowed {
		if o.value == a {
			return o, nil
		}
	}
	return optional{}, fault.New(fault.Invalid, field, "value is not one of "+pyList(allowed))
}

// integer reads a JSON integer in [min, max]; 0 means absent. Fractions, exponents, booleans
// and strings are not integers to jsonschema either.
func integer(m map[string]json.RawMessage, field string, min, max int) (int, error) {
	raw, ok := m[field]
	if !ok {
		return 0, nil
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') || bytes.ContainsAny(raw, ".eE") {
		return 0, fault.New(fault.Invalid, field, "value is not of type 'integer'")
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	switch {
	case (err != nil && raw[0] == '-') || (err == nil && n < int64(min)):
		return 0, fault.Newf(fault.Invalid, field, "value is less than the minimum of %d", min)
	case err != nil || n > int64(max):
		return 0, fault.Newf(fault.Invalid, field, "value is greater than the maximum of %d", max)
	}
	return int(n), nil
}

func notType(field string, nullable bool) error {
	if nullable {
		return fault.New(fault.Invalid, field, "value is not of type 'string', 'null'")
	}
	return fault.New(fault.Invalid, field, "value is not of type 'string'")
}

// pyList renders names as Python prints a list of strings, as Barbican's messages quote them.
func pyList(names []string) string {
	return "['" + strings.Join(names, "', '") + "']"
}

// isPySpace is Python's str.strip() whitespace: Unicode spaces plus the separators U+001C-U+001F.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f }
