package kmsecret

import (
	"context"
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

// readWriter is the store calls a change of a secret makes.
type readWriter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// metadataAttempts bounds the re-reads of a metadata change that lost a race with another
// change of the same secret.
const metadataAttempts = 5

// ChangeMetadata applies change to rec's user metadata and writes the result (see Change), so
// concurrent changes of different keys all land and of the same key one at a time. change's
// error (a conflict, a missing key) is returned as is and nothing is written.
func ChangeMetadata(ctx context.Context, st readWriter, rec store.Record, at time.Time, change func(map[string]string) error) error {
	return Change(ctx, st, rec, metadataAttempts, func(rec store.Record) (store.Update, error) {
		m := UserMetadata(rec)
		if err := change(m); err != nil {
			return store.Update{}, err
		}
		var pairs any // nil removes the attribute: no metadata left
		if len(m) > 0 {
			pairs = pairsOf(m)
		}
		return store.Update{At: at, Set: store.Attrs{userMetadataAttr: pairs}}, nil
	})
}

// Change writes the update change makes of rec, at rec's version. If the secret changed
// meanwhile, it is read again (gone meanwhile: 404) and change is asked again, at most attempts
// times in all, so concurrent changes of one secret land one at a time and none is lost.
// change's error is returned as is, and nothing is written; so is a store error other than a
// lost race.
func Change(ctx context.Context, st readWriter, rec store.Record, attempts int, change func(store.Record) (store.Update, error)) error {
	return changeWith(ctx, st, rec, attempts, func(rec store.Record) (store.Update, store.Tx, error) {
		u, err := change(rec)
		return u, nil, err
	})
}

// changeWith is Change whose change may also give actions on other records (a secret's
// locator), written in the same transaction as the update, so they hold exactly when it does.
func changeWith(ctx context.Context, st readWriter, rec store.Record, attempts int, change func(store.Record) (store.Update, store.Tx, error)) error {
	for range attempts {
		u, more, err := change(rec)
		if err != nil {
			return err
		}
		u.Ref, u.IfVersion = rec.Ref, rec.Version
		err = st.Apply(ctx, append(store.Tx{{Update: &u}}, more...))
		if store.ConflictOf(err) == nil {
			return notFoundIfGone(err) // nil once written
		}
		if rec, err = st.Get(ctx, rec.Ref); err != nil {
			return notFoundIfGone(err)
		}
	}
	return fmt.Errorf("kmsecret: the secret kept changing over %d attempts", attempts)
}
