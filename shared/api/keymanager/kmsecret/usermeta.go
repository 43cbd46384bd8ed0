package kmsecret

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// userMetadataAttr holds a secret's user metadata (Barbican's secret metadata, the
// /metadata endpoints) as key, value, key, value, … in key order: one attribute, so a change
// of several keys is one versioned update.
const userMetadataAttr = "user_metadata"

// MaxMetadata caps the keys of one secret. Barbican sets no cap; keyport keeps a secret's record
// well inside DynamoDB's 400 KB item limit (100 × 2 × 255 characters at most 4 bytes each), and
// answers a POST beyond it as Barbican answers a quota.
const MaxMetadata = 100

// UserMetadata returns rec's user metadata (never nil).
func UserMetadata(rec store.Record) map[string]string {
	pairs := rec.Attrs.List(userMetadataAttr)
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

func pairsOf(m map[string]string) []string {
	keys := slices.Sorted(maps.Keys(m))
	pairs := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, k, m[k])
	}
	return pairs
}

// metadataKey is Barbican's rule for a metadata key: URL safe.
var metadataKey = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

// MetadataKey checks a key and returns it lower-cased, as Barbican stores keys.
func MetadataKey(key string) (string, error) {
	if !metadataKey.MatchString(key) {
		return "", fault.New(fault.Malformed, "key", "Invalid Key. Key must be URL safe.")
	}
	if len(key) > maxMeta {
		return "", fault.Newf(fault.Invalid, "key", "value is too long (maxLength %d)", maxMeta)
	}
	return strings.ToLower(key), nil
}

// MetadataValue checks a value: at most 255 characters.
func MetadataValue(field, value string) error {
	if utf8.RuneCountInString(value) > maxMeta {
		return fault.Newf(fault.Invalid, field, "value is too long (maxLength %d)", maxMeta)
	}
	return nil
}

const maxMeta = 255

// metadataWriter is the store calls a metadata change makes.
type metadataWriter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// metadataAttempts bounds the re-reads of a metadata change that lost a race with another
// change of the same secret.
const metadataAttempts = 5

// ChangeMetadata applies change to rec's user metadata and writes the result at rec's version.
// If the secret changed meanwhile it is read again and change re-applied, so concurrent changes
// of different keys all land and of the same key one at a time; a secret gone meanwhile is 404.
// change's error (a conflict, a missing key) is returned as is and nothing is written.
func ChangeMetadata(ctx context.Context, st metadataWriter, rec store.Record, at time.Time, change func(map[string]string) error) error {
	for range metadataAttempts {
		m := UserMetadata(rec)
		if err := change(m); err != nil {
			return err
		}
		var pairs any // nil removes the attribute: no metadata left
		if len(m) > 0 {
			pairs = pairsOf(m)
		}
		err := st.Apply(ctx, store.Tx{{Update: &store.Update{Ref: rec.Ref, IfVersion: rec.Version, At: at,
			Set: store.Attrs{userMetadataAttr: pairs}}}})
		if store.ConflictOf(err) == nil {
			return storeFault(err)
		}
		if rec, err = st.Get(ctx, rec.Ref); err != nil {
			return storeFault(err)
		}
	}
	return fmt.Errorf("keymanager: the secret kept changing over %d attempts", metadataAttempts)
}

// storeFault maps a store error of a secret change: gone is 404, anything else the server's.
func storeFault(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return NotFound()
	}
	return fmt.Errorf("keymanager: store: %v", err)
}
