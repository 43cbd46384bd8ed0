package boltstore

import (
	"encoding/json"
	"fmt"
	"time"

	"keyport/shared/store"
)

// stored is a record's on-disk form: JSON with short names, keyed by the record key in the
// records bucket (so the key itself is not repeated). Times are unix milliseconds; Expires is
// absent for records that never expire.
type stored struct {
	Service string            `json:"s,omitempty"`
	Tenant  string            `json:"t,omitempty"`
	Attrs   map[string]string `json:"a,omitempty"`
	Sealed  []byte            `json:"z,omitempty"`
	Created int64             `json:"c"`
	Expires *int64            `json:"e,omitempty"`
}

func encode(r store.Record) ([]byte, error) {
	v := stored{
		Service: r.Service,
		Tenant:  r.Tenant,
		Attrs:   r.Attrs,
		Sealed:  r.Sealed,
		Created: r.CreatedAt.UnixMilli(),
	}
	if !r.ExpiresAt.IsZero() {
		e := ceilMilli(r.ExpiresAt)
		v.Expires = &e
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("boltstore: encode record: %w", err)
	}
	return b, nil
}

func decode(key string, b []byte) (store.Record, error) {
	var v stored
	if err := json.Unmarshal(b, &v); err != nil {
		return store.Record{}, fmt.Errorf("boltstore: decode record: %w", err)
	}
	r := store.Record{
		Key:       key,
		Service:   v.Service,
		Tenant:    v.Tenant,
		Attrs:     v.Attrs,
		Sealed:    v.Sealed,
		CreatedAt: time.UnixMilli(v.Created).UTC(),
	}
	if v.Expires != nil {
		r.ExpiresAt = time.UnixMilli(*v.Expires).UTC()
	}
	return r, nil
}

// live reports whether the stored value v is a record that has not expired at now. A value
// that does not decode counts as live: refusing a create is safer than overwriting it.
func live(v []byte, now time.Time) bool {
	if v == nil {
		return false
	}
	var e struct {
		Expires *int64 `json:"e"`
	}
	if err := json.Unmarshal(v, &e); err != nil || e.Expires == nil {
		return true
	}
	return now.UnixMilli() < *e.Expires
}

// ceilMilli rounds t up to a whole millisecond, so a record is never treated as expired before
// the instant it was given.
func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Sub(time.UnixMilli(ms)) > 0 {
		ms++
	}
	return ms
}
