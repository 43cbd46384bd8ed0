package boltstore

import (
	"encoding/binary"
	"time"

	"keyport/shared/store"
)

// physical is the bbolt key of ref: Service, Tenant and Kind each as a uvarint length and its
// bytes, then the raw ID. Every record of one (service, tenant, kind) shares the prefix
// collection(…), and within it keys sort by the bytes of ID, which is List's order.
func physical(r store.Ref) []byte {
	return append(collection(r.Service, r.Tenant, r.Kind), r.ID...)
}

// collection is the key prefix of one (service, tenant, kind).
func collection(service, tenant, kind string) []byte {
	out := make([]byte, 0, len(service)+len(tenant)+len(kind)+3)
	for _, f := range [...]string{service, tenant, kind} {
		out = binary.AppendUvarint(out, uint64(len(f)))
		out = append(out, f...)
	}
	return out
}

// stored is a record's on-disk form, keyed by physical(ref) in the records bucket (so the ref is
// not repeated). Times are unix milliseconds; Expires is nil for records that never expire.
type stored struct {
	Version int64
	Attrs   store.Attrs // each a string, int64, bool or []string (store.CheckAttrs)
	Sealed  []byte
	Claims  []store.Ref
	Created int64
	Updated int64
	Expires *int64
}

// toStored turns r into its stored form at version with updated as UpdatedAt. r's attributes
// have passed store.CheckAttrs (Apply checks every transaction first).
func toStored(r store.Record, version int64, updated time.Time) stored {
	s := stored{Version: version, Attrs: r.Attrs, Sealed: r.Sealed, Claims: r.Claims,
		Created: r.CreatedAt.UnixMilli(), Updated: updated.UnixMilli()}
	if !r.ExpiresAt.IsZero() {
		e := ceilMilli(r.ExpiresAt)
		s.Expires = &e
	}
	return s
}

// record is the store.Record of s at ref.
func (s stored) record(ref store.Ref) store.Record {
	r := store.Record{
		Ref:       ref,
		Attrs:     s.Attrs,
		Sealed:    s.Sealed,
		Claims:    s.Claims,
		Version:   s.Version,
		CreatedAt: time.UnixMilli(s.Created).UTC(),
		UpdatedAt: time.UnixMilli(s.Updated).UTC(),
	}
	if s.Expires != nil {
		r.ExpiresAt = time.UnixMilli(*s.Expires).UTC()
	}
	return r
}

// live reports whether s has not expired at now.
func (s stored) live(now time.Time) bool {
	return s.Expires == nil || now.UnixMilli() < *s.Expires
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

func unixMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
