// Package valid holds the small field rules the operations compose. Each rule returns nil or a
// *fault.Error naming the field (in the vendor's own spelling) and saying what is wrong, without
// echoing the value, since a value may be a secret.
package valid

import (
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"keyport/shared/fault"
)

// First returns the first non-nil error, so an operation can list its rules in order.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Required fails with fault.Missing when value is empty.
func Required(field, value string) error {
	if value == "" {
		return fault.New(fault.Missing, field, "is required")
	}
	return nil
}

// Length checks that value has between min and max characters (runes).
func Length(field, value string, min, max int) error {
	n := utf8.RuneCountInString(value)
	if n < min || n > max {
		if min == max {
			return fault.Newf(fault.Invalid, field, "must be %d characters", min)
		}
		return fault.Newf(fault.Invalid, field, "must be %d to %d characters long", min, max)
	}
	return nil
}

// Word checks that value has only ASCII letters, digits and underscores.
func Word(field, value string) error {
	for i := 0; i < len(value); i++ {
		if !isWordByte(value[i]) {
			return fault.New(fault.Invalid, field, "may contain only letters, digits and underscores")
		}
	}
	return nil
}

// WordOfLength is Length and Word together: the common "5-50 letters, digits, _" rule.
func WordOfLength(field, value string, min, max int) error {
	return First(Length(field, value, min, max), Word(field, value))
}

// Printable checks that value has only half-width printable ASCII (0x21-0x7e and space).
func Printable(field, value string) error {
	for i := 0; i < len(value); i++ {
		if value[i] < 0x20 || value[i] > 0x7e {
			return fault.New(fault.Invalid, field, "may contain only half-width letters, digits and symbols")
		}
	}
	return nil
}

// OneOf checks that value is one of allowed (case-sensitive).
func OneOf(field, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return fault.Newf(fault.Invalid, field, "must be one of %s", strings.Join(allowed, ", "))
}

// Base64 decodes standard (padded) base64 and fails with a fault naming field otherwise.
// Unlike encoding/base64, which skips CR and LF even in Strict mode, it refuses every byte
// outside the alphabet: the vendors' fields are single-line base64.
func Base64(field, value string) ([]byte, error) {
	if strings.ContainsAny(value, "\r\n") {
		return nil, fault.New(fault.Invalid, field, "must be valid base64")
	}
	b, err := base64.StdEncoding.Strict().DecodeString(value)
	if err != nil {
		return nil, fault.New(fault.Invalid, field, "must be valid base64")
	}
	return b, nil
}

// Base64OfSize decodes value and checks the decoded length is between min and max bytes.
func Base64OfSize(field, value string, min, max int) ([]byte, error) {
	b, err := Base64(field, value)
	if err != nil {
		return nil, err
	}
	if len(b) < min || len(b) > max {
		return nil, fault.Newf(fault.Invalid, field, "must decode to %d to %d bytes", min, max)
	}
	return b, nil
}

// datetimeLayouts are the ISO-8601 forms the vendors' clients send: with or without fractional
// seconds, with or without a zone (no zone means UTC, as Barbican and Gcore treat it).
var datetimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
}

// Datetime parses an ISO-8601 date-time; a value with no zone is taken as UTC.
func Datetime(field, value string) (time.Time, error) {
	for _, layout := range datetimeLayouts {
		if t, err := time.Parse(layout, value); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fault.New(fault.Invalid, field, "must be an ISO-8601 date-time, e.g. 2030-01-02T03:04:05")
}

// Future checks that t is after now.
func Future(field string, t, now time.Time) error {
	if !t.After(now) {
		return fault.New(fault.Invalid, field, "must be in the future")
	}
	return nil
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
