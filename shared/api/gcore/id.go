package gcore

import (
	"strings"

	"github.com/google/uuid"
)

// Service names Gcore Cloud's records, seal scopes and KMS encryption contexts: the service of
// every Gcore operation's row.
const Service = "gcore-cloud"

// CanonicalID accepts a UUID in the 36-character hyphenated form (any letter case) and returns
// it lower-cased, the form secret and task keys are written in. Other spellings uuid.Parse
// knows (braces, urn:uuid:, no hyphens) are not ids Gcore hands out, so callers answer them as
// not found, exactly like an unknown id.
func CanonicalID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	u, err := uuid.Parse(s)
	if err != nil || u.String() != strings.ToLower(s) {
		return "", false
	}
	return u.String(), true
}

// NewID returns a fresh id for a secret or a task: a UUIDv7, time-ordered, so the records of
// concurrent creates land on the same few store pages instead of random ones (in bbolt, half
// the CPU and I/O per create under load), with 74 random bits from crypto/rand. Gcore's
// clients treat ids as opaque UUID strings; the time one reveals is its record's own creation
// time, which the secret's `created` and the task's `created_on` show anyway.
func NewID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return u.String(), nil
}
