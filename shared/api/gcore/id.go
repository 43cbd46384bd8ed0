package gcore

import (
	"fmt"
	"strings"

	"github.com/google/uuid"

	"keyport/shared/fault"
)

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

// SecretNotFound is the answer for a secret that is not there: unknown, expired, deleted, of
// another region, or not an id at all (then id is "" and the message names no id, since the
// path segment is not one). It is the same for all of them, so nothing tells a caller that a
// secret exists somewhere it cannot see.
func SecretNotFound(id string) error {
	if id == "" {
		return fault.New(fault.NotFound, "", "Secret could not be found")
	}
	return fault.New(fault.NotFound, "", fmt.Sprintf("Secret %s could not be found", id))
}
