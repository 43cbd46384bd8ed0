package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"time"

	"keyport/shared/store"
)

// A stored record is written in a compact binary form: every create encodes one and every read
// decodes one, and reflection-driven JSON cost more CPU than the rest of a create's transaction.
//
//	format byte (recordFormat)
//	uvarint Version · varint Created · varint Updated
//	flags byte (bit 0: Expires follows) · [varint Expires]
//	bytes Sealed
//	uvarint claim count · per claim: string Service, Tenant, Kind, ID
//	uvarint attribute count · per attribute, in name order: string name, type byte, value
//	    's' string · 'i' varint · 'b' one byte 0 or 1 · 'l' uvarint count, then each string
//
// bytes and strings are a uvarint length and the bytes. Decoding is strict: a length past the
// end, an unknown type, a padded varint or trailing bytes is an error, never a guess.
const recordFormat = 1

const hasExpires = 1

// marshal encodes s; attribute names are written sorted, so equal records encode equally.
func (s stored) marshal() ([]byte, error) {
	out := make([]byte, 0, 64+len(s.Sealed)+32*len(s.Attrs))
	out = append(out, recordFormat)
	out = binary.AppendUvarint(out, uint64(s.Version))
	out = binary.AppendVarint(out, s.Created)
	out = binary.AppendVarint(out, s.Updated)
	if s.Expires != nil {
		out = append(out, hasExpires)
		out = binary.AppendVarint(out, *s.Expires)
	} else {
		out = append(out, 0)
	}
	out = appendBytes(out, s.Sealed)
	out = binary.AppendUvarint(out, uint64(len(s.Claims)))
	for _, c := range s.Claims {
		for _, f := range [...]string{c.Service, c.Tenant, c.Kind, c.ID} {
			out = appendBytes(out, []byte(f))
		}
	}
	names := make([]string, 0, len(s.Attrs))
	for k := range s.Attrs {
		names = append(names, k)
	}
	slices.Sort(names)
	out = binary.AppendUvarint(out, uint64(len(names)))
	for _, k := range names {
		out = appendBytes(out, []byte(k))
		switch v := s.Attrs[k].(type) {
		case string:
			out = appendBytes(append(out, 's'), []byte(v))
		case int64:
			out = binary.AppendVarint(append(out, 'i'), v)
		case bool:
			b := byte(0)
			if v {
				b = 1
			}
			out = append(out, 'b', b)
		case []string:
			out = binary.AppendUvarint(append(out, 'l'), uint64(len(v)))
			for _, e := range v {
				out = appendBytes(out, []byte(e))
			}
		default:
			return nil, fmt.Errorf("boltstore: encode record: unsupported attribute type %T", v)
		}
	}
	return out, nil
}

func appendBytes(out, b []byte) []byte {
	return append(binary.AppendUvarint(out, uint64(len(b))), b...)
}

// unmarshal decodes a record written by marshal. Everything it returns is copied out of b,
// which bbolt owns only for the life of a transaction.
func unmarshal(b []byte) (stored, error) {
	if len(b) == 0 || b[0] != recordFormat {
		return stored{}, errors.New("boltstore: decode record: not a record of this format (a file written by an earlier keyport?)")
	}
	d := decoder{rest: b[1:]}
	s := stored{Version: int64(d.uvarint()), Created: d.varint(), Updated: d.varint()}
	switch d.byte() {
	case 0:
	case hasExpires:
		e := d.varint()
		s.Expires = &e
	default:
		d.fail()
	}
	if sealed := d.bytes(); len(sealed) > 0 {
		s.Sealed = slices.Clone(sealed)
	}
	for n := d.count(4); n > 0; n-- {
		s.Claims = append(s.Claims, store.Ref{Service: d.string(), Tenant: d.string(), Kind: d.string(), ID: d.string()})
	}
	if n := d.count(3); n > 0 {
		s.Attrs = make(store.Attrs, n)
		prev := ""
		for i := 0; i < n && d.err == nil; i++ {
			name := d.string()
			if i > 0 && name <= prev {
				d.fail() // names are written sorted, each once
			}
			s.Attrs[name], prev = d.value(), name
		}
	}
	if d.err == nil && len(d.rest) > 0 {
		d.fail()
	}
	if d.err != nil {
		return stored{}, d.err
	}
	return s, nil
}

// entryLive reads only the head of a stored record or index entry (its format, version, times
// and expiry) and reports whether it is live at now: what skipping an entry costs.
func entryLive(b []byte, now time.Time) (bool, error) {
	if len(b) == 0 || b[0] != recordFormat {
		return false, errors.New("boltstore: decode entry: not of this format")
	}
	d := decoder{rest: b[1:]}
	d.uvarint()
	d.varint()
	d.varint()
	live := true
	switch d.byte() {
	case 0:
	case hasExpires:
		live = now.UnixMilli() < d.varint()
	default:
		d.fail()
	}
	return live, d.err
}

// decoder reads the fields of one record; after the first error every read returns a zero value
// and err says what went wrong.
type decoder struct {
	rest []byte
	err  error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errors.New("boltstore: decode record: malformed record")
	}
	d.rest = nil
}

// uvarint reads a uvarint in its shortest form (binary.Uvarint also takes padded ones), so that
// every record has exactly one encoding.
func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.rest)
	if n <= 0 || n != max(1, (bits.Len64(v)+6)/7) {
		d.fail()
		return 0
	}
	d.rest = d.rest[n:]
	return v
}

// varint reads a zig-zag varint, as binary.AppendVarint writes it.
func (d *decoder) varint() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *decoder) byte() byte {
	if len(d.rest) == 0 {
		d.fail()
		return 0
	}
	b := d.rest[0]
	d.rest = d.rest[1:]
	return b
}

// bytes returns the next length-prefixed bytes, still inside the record.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.rest)) {
		d.fail()
		return nil
	}
	b := d.rest[:n]
	d.rest = d.rest[n:]
	return b
}

func (d *decoder) string() string { return string(d.bytes()) }

// count reads a count of items each at least minSize bytes long, refusing one the rest of the
// record cannot hold, so a corrupt count never makes a huge allocation.
func (d *decoder) count(minSize int) int {
	n := d.uvarint()
	if n > uint64(len(d.rest)/minSize) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) value() any {
	switch d.byte() {
	case 's':
		return d.string()
	case 'i':
		return d.varint()
	case 'b':
		switch d.byte() {
		case 0:
			return false
		case 1:
			return true
		}
	case 'l':
		list := make([]string, d.count(1))
		for i := range list {
			list[i] = d.string()
		}
		return list
	}
	d.fail()
	return nil
}
