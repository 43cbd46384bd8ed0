package gcore

import (
	"fmt"
	"time"

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
func (s Secret) Record(scope Scope) store.Record {
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
		Ref:       SecretRef(scope, s.ID),
		Attrs:     attrs,
		CreatedAt: s.Created,
		ExpiresAt: s.Expiration, // zero (never) when no expiration was given
	}
}

// SecretFromRecord reads a record written by Secret.Record. A record it cannot read is a
// server fault (the store is ours), reported as a plain error.
func SecretFromRecord(id string, r store.Record) (Secret, error) {
	created, err := time.Parse(time.RFC3339Nano, r.Attrs.String(attrCreated))
	if err != nil || r.Attrs.String(attrName) == "" || r.Attrs.String(attrSecretType) == "" {
		return Secret{}, fmt.Errorf("gcore: secret record %s is unreadable", r.Ref)
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
			return Secret{}, fmt.Errorf("gcore: secret record %s has an unreadable expiration", r.Ref)
		}
		s.Expiration = s.Expiration.UTC()
	}
	return s, nil
}

// SecretTimeLayout is how secret times travel: whole seconds with a numeric zone offset, the
// form Gcore documents (2023-03-23T20:00:00+00:00). GC-labs parses exactly this layout (and
// fails on a time without a zone); GC-go accepts it too. Times are UTC, so the offset is +00:00.
const SecretTimeLayout = "2006-01-02T15:04:05-07:00"

// SecretJSON is Gcore's Secret object (GET .../secrets/{p}/{r}/{id} and each list result).
// Optional fields keyport has no value for are null, as Gcore documents them nullable.
type SecretJSON struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	SecretType   string            `json:"secret_type"`
	Status       string            `json:"status"`
	Algorithm    *string           `json:"algorithm"`
	BitLength    *int64            `json:"bit_length"`
	Mode         *string           `json:"mode"`
	ContentTypes map[string]string `json:"content_types"`
	Created      string            `json:"created"`
	Expiration   *string           `json:"expiration"`
}

// JSON renders s as Gcore's Secret object. It never holds the payload.
func (s Secret) JSON() SecretJSON {
	out := SecretJSON{
		ID:           s.ID,
		Name:         s.Name,
		SecretType:   s.SecretType,
		Status:       StatusActive,
		Algorithm:    optional(s.Algorithm),
		Mode:         optional(s.Mode),
		ContentTypes: map[string]string{"default": s.PayloadContentType},
		Created:      s.Created.UTC().Format(SecretTimeLayout),
	}
	if s.BitLength > 0 {
		out.BitLength = &s.BitLength
	}
	if !s.Expiration.IsZero() {
		e := s.Expiration.UTC().Format(SecretTimeLayout)
		out.Expiration = &e
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
