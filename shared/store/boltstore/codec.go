package boltstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
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

// refOf is physical's inverse.
func refOf(key []byte) (store.Ref, error) {
	var f [3]string
	rest := key
	for i := range f {
		n, w := binary.Uvarint(rest)
		if w <= 0 || uint64(len(rest)-w) < n {
			return store.Ref{}, errors.New("boltstore: malformed key")
		}
		f[i] = string(rest[w : w+int(n)])
		rest = rest[w+int(n):]
	}
	return store.Ref{Service: f[0], Tenant: f[1], Kind: f[2], ID: string(rest)}, nil
}

// stored is a record's on-disk form: JSON with short names, keyed by physical(ref) in the
// records bucket (so the ref is not repeated). Attributes carry their type (value), so an
// int64 is never read back as a float and a list never as a string. Times are unix
// milliseconds; Expires is absent for records that never expire.
type stored struct {
	Version int64            `json:"v"`
	Attrs   map[string]value `json:"a,omitempty"`
	Sealed  []byte           `json:"z,omitempty"`
	Claims  []claimRef       `json:"k,omitempty"`
	Created int64            `json:"c"`
	Updated int64            `json:"u"`
	Expires *int64           `json:"e,omitempty"`
}

// claimRef is a claim's ref inside its owner's record.
type claimRef struct {
	Service string `json:"s"`
	Tenant  string `json:"t,omitempty"`
	Kind    string `json:"k"`
	ID      string `json:"i"`
}

// value is one typed attribute: T names the type ("s", "i", "b", "l") and exactly the matching
// field holds the value. Int is a JSON number decoded into an int64, which is exact.
type value struct {
	T    string   `json:"t"`
	Str  string   `json:"s,omitempty"`
	Int  int64    `json:"i,omitempty"`
	Bool bool     `json:"b,omitempty"`
	List []string `json:"l,omitempty"`
}

func encodeValue(v any) (value, error) {
	switch v := v.(type) {
	case string:
		return value{T: "s", Str: v}, nil
	case int64:
		return value{T: "i", Int: v}, nil
	case bool:
		return value{T: "b", Bool: v}, nil
	case []string:
		return value{T: "l", List: v}, nil
	}
	return value{}, fmt.Errorf("boltstore: unsupported attribute type %T", v)
}

func (v value) decode() (any, error) {
	switch v.T {
	case "s":
		return v.Str, nil
	case "i":
		return v.Int, nil
	case "b":
		return v.Bool, nil
	case "l":
		if v.List == nil {
			return []string{}, nil
		}
		return v.List, nil
	}
	return nil, fmt.Errorf("boltstore: unknown attribute type %q", v.T)
}

// toStored turns r into its stored form at version with updated as UpdatedAt.
func toStored(r store.Record, version int64, updated time.Time) (stored, error) {
	s := stored{Version: version, Sealed: r.Sealed, Created: r.CreatedAt.UnixMilli(), Updated: updated.UnixMilli()}
	if len(r.Attrs) > 0 {
		s.Attrs = make(map[string]value, len(r.Attrs))
		for k, v := range r.Attrs {
			enc, err := encodeValue(v)
			if err != nil {
				return stored{}, err
			}
			s.Attrs[k] = enc
		}
	}
	for _, c := range r.Claims {
		s.Claims = append(s.Claims, claimRef{c.Service, c.Tenant, c.Kind, c.ID})
	}
	if !r.ExpiresAt.IsZero() {
		e := ceilMilli(r.ExpiresAt)
		s.Expires = &e
	}
	return s, nil
}

func (s stored) marshal() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("boltstore: encode record: %w", err)
	}
	return b, nil
}

func unmarshal(b []byte) (stored, error) {
	var s stored
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return stored{}, fmt.Errorf("boltstore: decode record: %w", err)
	}
	return s, nil
}

// record is the store.Record of s at ref.
func (s stored) record(ref store.Ref) (store.Record, error) {
	r := store.Record{
		Ref:       ref,
		Sealed:    s.Sealed,
		Version:   s.Version,
		CreatedAt: time.UnixMilli(s.Created).UTC(),
		UpdatedAt: time.UnixMilli(s.Updated).UTC(),
	}
	if len(s.Attrs) > 0 {
		r.Attrs = make(store.Attrs, len(s.Attrs))
		for k, v := range s.Attrs {
			dec, err := v.decode()
			if err != nil {
				return store.Record{}, err
			}
			r.Attrs[k] = dec
		}
	}
	for _, c := range s.Claims {
		r.Claims = append(r.Claims, store.Ref{Service: c.Service, Tenant: c.Tenant, Kind: c.Kind, ID: c.ID})
	}
	if s.Expires != nil {
		r.ExpiresAt = time.UnixMilli(*s.Expires).UTC()
	}
	return r, nil
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
