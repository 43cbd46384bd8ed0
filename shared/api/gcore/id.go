package gcore

import (
	"strings"

	"github.com/google/uuid"
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
