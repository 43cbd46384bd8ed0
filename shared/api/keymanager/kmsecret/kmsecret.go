// Package keymanager is the Barbican secret as keyport stores it, shared by every K5 Key
// Manager (OpenStack Barbican) operation in both URL layouts: the record's ref, how a secret id
// is looked up, how its metadata is rendered, how its payload is negotiated against Accept, and
// K5's PEM rule for text payloads.
//
// One record per secret, kind "secret", in the "k5-keymanager" service, tenant = the Keystone
// project. Its attributes are the metadata as GET shows it (name, secret_type, status, created,
// updated, algorithm, mode, bit_length, expiration, payload_content_type, …); Sealed holds the
// payload, sealed with the ref's AAD, or is nil for a metadata-only secret.
package kmsecret

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Service names this API in record keys, seal scopes and the KMS encryption context.
const Service = "k5-keymanager"

// Kind is the record kind of a secret.
const Kind = "secret"

// Secrets are listed in creation order, in pages with a total, and filtered by name (Barbican's
// name=, which terraform-provider-openstack's secret data source sends) from an attribute
// index on their name (store.DeclareAttrIndex).
var _ = store.DeclareAttrIndex(Service, Kind, "name")

// Ref is the ref of secret id of project; its AAD is the sealed payload's associated data.
func Ref(project, id string) store.Ref {
	return store.Ref{Service: Service, Tenant: project, Kind: Kind, ID: id}
}

// Scope is the seal scope of project's payloads.
func Scope(project string) seal.Scope { return seal.Scope{Service: Service, Tenant: project} }

// Isoformat is Python's datetime.isoformat() of a naive UTC time, as Barbican renders created,
// updated and expiration: no zone suffix (gophercloud refuses one), microseconds only if any.
func Isoformat(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

// ParseIsoformat reads a time Isoformat wrote.
func ParseIsoformat(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02T15:04:05.999999", s, time.UTC)
}

// Messages Barbican gives for a secret it cannot find.
const (
	notFound  = "Secret not found."
	invalidID = "Not Found. Provided secret id is invalid."
)

// getter is the store call a lookup makes.
type getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// Lookup returns project's live secret id. A malformed id, an unknown one, an expired or
// deleted one, and another project's all answer 404, so ids are not disclosed across projects
// (docs/wire/keymanager.md, "Where the vendor is silent").
// Barbican issues lower-case UUIDs and matches them exactly; another spelling is not one of its
// ids.
func Lookup(ctx context.Context, s getter, project, id string) (store.Record, error) {
	if !ValidID(id) {
		return store.Record{}, InvalidID()
	}
	rec, err := s.Get(ctx, Ref(project, id))
	if err != nil {
		return store.Record{}, notFoundIfGone(err)
	}
	audit.SetResource(ctx, id) // every operation on one secret finds it here
	return rec, nil
}

// notFoundIfGone is the 404 of a secret for a store error that says it is not there (or no
// longer), and the store error, a server fault, as it is otherwise.
func notFoundIfGone(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return NotFound()
	}
	return err
}

// InvalidID is the 404 for an id that is not a secret id at all.
func InvalidID() error { return fault.New(fault.NotFound, "", invalidID) }

// NotFound is the 404 for a secret that is not (or no longer) there.
func NotFound() error { return fault.New(fault.NotFound, "", notFound) }

// ValidID reports whether id is a UUID as Barbican writes one: 36 characters, lower case.
func ValidID(id string) bool {
	if len(id) != 36 {
		return false
	}
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}

// MetadatumNotFound is the 404 for a metadata key the secret does not have.
func MetadatumNotFound() error { return fault.New(fault.NotFound, "", "Secret metadata not found.") }

// MetadataPathKey is the {key} path value as stored: keys are stored lower-cased, so a key
// asked for in another case is the same key.
func MetadataPathKey(r *http.Request) string { return strings.ToLower(r.PathValue("key")) }

// IsText reports whether a stored payload content type is one of the text/plain forms.
func IsText(contentType string) bool {
	return strings.HasPrefix(contentType, "text/plain")
}
