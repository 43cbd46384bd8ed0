package kmsecret

import (
	"net/http"
	"strings"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/store"
)

// MetadataDeps is what a handler that changes a secret's user metadata needs: the four
// metadata writes (create, replace, update, delete) differ only in how they read the body and
// change the map. Now may be nil (time.Now).
type MetadataDeps struct {
	Store  metadataWriter
	Creds  *credentials.Book
	Now    func() time.Time
	Layout keymanager.Layout
}

// Checked returns d with Now defaulted. It panics, naming the operation op, on a missing
// dependency: a wiring mistake, caught at start-up.
func (d MetadataDeps) Checked(op string) MetadataDeps {
	if d.Store == nil || d.Creds == nil {
		panic(op + ": Deps needs Store and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return d
}

// Change runs a metadata write: authenticate r and look up its secret; unless decode is nil,
// read the JSON body and hand it to decode, which also checks what it decoded; then apply
// change with ChangeMetadata. The steps run in that order so a request that fails several ways
// gets Barbican's first refusal. It returns the secret as looked up, for the answer's refs.
func (d MetadataDeps) Change(r *http.Request, decode func(body []byte) error, change func(map[string]string) error) (store.Record, error) {
	rec, err := Secret(r, d.Layout, d.Creds, d.Store)
	if err != nil {
		return store.Record{}, err
	}
	if decode != nil {
		body, err := ReadJSON(r, d.Layout)
		if err != nil {
			return store.Record{}, err
		}
		if err := decode(body); err != nil {
			return store.Record{}, err
		}
	}
	return rec, ChangeMetadata(r.Context(), d.Store, rec, d.Now(), change)
}

// MetadatumNotFound is the 404 for a metadata key the secret does not have.
func MetadatumNotFound() error { return fault.New(fault.NotFound, "", "Secret metadata not found.") }

// MetadataPathKey is the {key} path value as stored: keys are stored lower-cased, so a key
// asked for in another case is the same key.
func MetadataPathKey(r *http.Request) string { return strings.ToLower(r.PathValue("key")) }
