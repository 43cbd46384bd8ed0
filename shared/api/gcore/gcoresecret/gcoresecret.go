// Package gcoresecret is the model of a Gcore Cloud secret (secrets v1): the record the create
// writes and the reads decode, its ref in the store, and Gcore's Secret object it renders as.
// It sits below the wire (package gcore: auth, scope, envelope, skeleton) and above nothing but
// the store; the operations in functions/gcore import both.
package gcoresecret

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/store"
)

// StatusActive is the status of every stored secret: the payload is stored with the secret,
// so it is usable at once (Barbican's ACTIVE).
const StatusActive = "ACTIVE"

// Secret is a secret's metadata as the create writes it and the reads render it. The payload
// is not here: it lives only in the record's sealed blob, and no Gcore endpoint returns it.
type Secret struct {
	ID                 string
	Name               string
	SecretType         string
	PayloadContentType string
	Algorithm          string    // "" when absent
	Mode               string    // "" when absent
	BitLength          int64     // 0 when absent
	Created            time.Time // UTC
	Expiration         time.Time // zero when absent
}

// Secrets are listed oldest first, in pages with a count, by project and region: the region is
// the index group of their ids (store.DeclareIndex, store.Group).
var _ = store.DeclareIndex(gcore.Service, "secret")

// Ref is the ref of secret id in s: a record of s's project whose id is the region and the
// secret id, so the secrets of one project and region share an id prefix (see InRegion).
func Ref(s gcore.Scope, id string) store.Ref {
	return store.Ref{Service: gcore.Service, Tenant: s.Tenant(), Kind: "secret", ID: strconv.FormatInt(s.Region, 10) + "/" + id}
}

// InRegion is the store query of every secret of s's project and region. The prefix ends with
// the "/" after the region, so region 7 does not also select region 76.
func InRegion(s gcore.Scope) store.Query {
	prefix := Ref(s, "")
	return store.Query{Service: prefix.Service, Tenant: prefix.Tenant, Kind: prefix.Kind, Prefix: prefix.ID}
}

// ParseID reads a secret id from its path segment; one that is not an id is NotFound("").
func ParseID(segment string) (string, error) { return gcore.PathID(kind, segment) }

// NotFound is the answer for a secret that is not there: unknown, expired, deleted, of another
// project or region, or not an id at all (id ""). It is the same for all of them (see
// gcore.NotFound).
func NotFound(id string) error { return gcore.NotFound(kind, id) }

// kind names a secret in not-found messages.
const kind = "Secret"

// Attribute names of a secret record.
const (
	attrName        = "name"
	attrSecretType  = "secret_type"
	attrContentType = "payload_content_type"
	attrStatus      = "status"
	attrCreated     = "created"    // RFC 3339, UTC, nanoseconds
	attrAlgorithm   = "algorithm"  // absent when not given
	attrMode        = "mode"       // absent when not given
	attrBitLength   = "bit_length" // int64, absent when not given
	attrExpiration  = "expiration" // RFC 3339, UTC, absent when not given
)

// Record returns s as the record of s's id in scope, without its sealed payload. Attrs hold
// only non-secret metadata; absent optional fields are absent keys, not empty values. The
// record expires with the secret, so every read, list and delete stops seeing it then.
func (s Secret) Record(scope gcore.Scope) store.Record {
	attrs := store.Attrs{
		attrName:        s.Name,
		attrSecretType:  s.SecretType,
		attrContentType: s.PayloadContentType,
		attrStatus:      StatusActive,
		attrCreated:     s.Created.UTC().Format(time.RFC3339Nano),
	}
	if s.Algorithm != "" {
		attrs[attrAlgorithm] = s.Algorithm
	}
	if s.Mode != "" {
		attrs[attrMode] = s.Mode
	}
	if s.BitLength > 0 {
		attrs[attrBitLength] = s.BitLength
	}
	if !s.Expiration.IsZero() {
		attrs[attrExpiration] = s.Expiration.UTC().Format(time.RFC3339Nano)
	}
	return store.Record{
		Ref:       Ref(scope, s.ID),
		Attrs:     attrs,
		CreatedAt: s.Created,
		ExpiresAt: s.Expiration, // zero (never) when no expiration was given
	}
}

// FromRecord reads a record written by Secret.Record; the secret's id is the part of the ref's
// id after the region. A record it cannot read is a server fault (the store is ours), reported
// as a plain error.
func FromRecord(r store.Record) (Secret, error) {
	_, id, ok := strings.Cut(r.ID, "/")
	created, err := time.Parse(time.RFC3339Nano, r.Attrs.String(attrCreated))
	if !ok || id == "" || err != nil || r.Attrs.String(attrName) == "" || r.Attrs.String(attrSecretType) == "" {
		return Secret{}, fmt.Errorf("gcoresecret: record %s is unreadable", r.Ref)
	}
	s := Secret{
		ID:                 id,
		Name:               r.Attrs.String(attrName),
		SecretType:         r.Attrs.String(attrSecretType),
		PayloadContentType: r.Attrs.String(attrContentType),
		Algorithm:          r.Attrs.String(attrAlgorithm),
		Mode:               r.Attrs.String(attrMode),
		BitLength:          r.Attrs.Int(attrBitLength),
		Created:            created.UTC(),
	}
	if e := r.Attrs.String(attrExpiration); e != "" {
		if s.Expiration, err = time.Parse(time.RFC3339Nano, e); err != nil {
			return Secret{}, fmt.Errorf("gcoresecret: record %s has an unreadable expiration", r.Ref)
		}
		s.Expiration = s.Expiration.UTC()
	}
	return s, nil
}
