package gcore

import (
	"fmt"
	"strings"

	"github.com/google/uuid"

	"keyport/shared/fault"
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

// PathID reads the id of a resource of kind ("Secret", "Task") from its path segment: a
// canonical UUID (CanonicalID). A segment that is not an id Gcore hands out is answered as a
// resource that is not there, NotFound(kind, "").
func PathID(kind, segment string) (string, error) {
	id, ok := CanonicalID(segment)
	if !ok {
		return "", NotFound(kind, "")
	}
	return id, nil
}

// NotFound is the answer for a resource of kind that is not there or that the caller may not
// see: unknown, expired, deleted, of another project or region, or not an id at all (then id is
// "" and the message names no id, since the path segment is not one). It is the same for all of
// them, so nothing tells a caller that a resource exists somewhere it cannot see.
func NotFound(kind, id string) error {
	if id == "" {
		return fault.New(fault.NotFound, "", kind+" could not be found")
	}
	return fault.New(fault.NotFound, "", fmt.Sprintf("%s %s could not be found", kind, id))
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
