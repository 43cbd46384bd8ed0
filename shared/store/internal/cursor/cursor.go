// Package cursor makes and opens the opaque paging cursors of store.List, for every driver.
//
// A cursor is base64url(mac[:16] || last id), where mac is HMAC-SHA256 under the driver's own
// random key over the query (service, tenant, kind, prefix, each length-prefixed; for the
// attribute index also its AttrPrefix and AttrExact; for an index order also the order and
// whether it reads entries) and the last id (for an index order, the last entry's place in
// that index: MakeAfter, MakeAttr). A cursor is therefore bound to its query: it cannot be
// forged, altered, or replayed against another tenant's, kind's or prefix's listing. It is not
// encrypted: the last id of a page is already in that page, so the cursor tells its holder
// nothing new.
package cursor

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"

	"keyport/shared/store"
)

// KeySize is the size of a driver's cursor key.
const KeySize = 32

// macSize is how much of the MAC a cursor carries: 128 bits, beyond guessing.
const macSize = 16

const label = "keyport/cursor/v1"

// Make returns the cursor that resumes q after lastID.
func Make(key []byte, q store.Query, lastID string) string {
	b := append(mac(key, q, lastID)[:macSize:macSize], lastID...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Open returns the last id c carries, or store.ErrBadCursor when c was not made by Make
// under key for this same query.
func Open(key []byte, q store.Query, c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) <= macSize {
		return "", store.ErrBadCursor
	}
	lastID := string(b[macSize:])
	if !hmac.Equal(b[:macSize], mac(key, q, lastID)[:macSize]) {
		return "", store.ErrBadCursor
	}
	return lastID, nil
}

func mac(key []byte, q store.Query, lastID string) []byte {
	m := hmac.New(sha256.New, key)
	var buf []byte
	buf = append(buf, label...)
	fields := []string{q.Service, q.Tenant, q.Kind, q.Prefix, lastID}
	if q.Order == store.ByAttr {
		fields = append(fields, q.AttrPrefix)
	}
	for _, f := range fields {
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	if q.Order.Indexed() {
		// ID-order cursors stay as they were; an index-order one also binds how it reads.
		buf = append(buf, byte(q.Order), bool2byte(q.Entries))
	}
	if q.Order == store.ByAttr {
		buf = append(buf, bool2byte(q.AttrExact))
	}
	m.Write(buf)
	return m.Sum(nil)
}

func bool2byte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// MakeAttr returns the attribute-index cursor that resumes q after last, whose indexed value
// is value. Its "last id" is the value (length-prefixed), then last's place as MakeAfter writes
// it, so a driver can resume at (value, created, id) whatever its order among equal values.
func MakeAttr(key []byte, q store.Query, value string, last store.Record) string {
	b := binary.AppendUvarint(make([]byte, 0, 10+len(value)+8+len(last.ID)), uint64(len(value)))
	return Make(key, q, string(appendPlace(append(b, value...), last)))
}

// OpenAttr opens a cursor made by MakeAttr for q and returns the value, creation millisecond
// and id of the entry it resumes after.
func OpenAttr(key []byte, q store.Query, c string) (value string, createdMillis int64, id string, err error) {
	p, err := Open(key, q, c)
	if err != nil {
		return "", 0, "", err
	}
	n, k := binary.Uvarint([]byte(p))
	if k <= 0 || uint64(len(p)-k) < n {
		return "", 0, "", store.ErrBadCursor
	}
	createdMillis, id, err = splitPlace(p[k+int(n):])
	return p[k : k+int(n)], createdMillis, id, err
}

// MakeAfter returns the creation-order cursor that resumes q after last. Its "last id" is last's
// place in the creation index: its creation millisecond, 8 bytes big-endian with the sign bit
// flipped (so the bytes sort as the times do), then its id.
func MakeAfter(key []byte, q store.Query, last store.Record) string {
	return Make(key, q, string(appendPlace(make([]byte, 0, 8+len(last.ID)), last)))
}

// appendPlace appends last's place in the creation index: its creation millisecond, 8 bytes
// big-endian with the sign bit flipped, then its id.
func appendPlace(b []byte, last store.Record) []byte {
	return append(binary.BigEndian.AppendUint64(b, uint64(last.CreatedAt.UnixMilli())^(1<<63)), last.ID...)
}

// splitPlace reverses appendPlace.
func splitPlace(p string) (createdMillis int64, id string, err error) {
	if len(p) < 8 {
		return 0, "", store.ErrBadCursor
	}
	return int64(binary.BigEndian.Uint64([]byte(p[:8])) ^ (1 << 63)), p[8:], nil
}

// OpenAfter opens a creation-order cursor made by MakeAfter for q and returns the creation
// millisecond and id of the entry it resumes after. The MAC vouches for the place, so a short
// one is the driver's own bug, reported as a bad cursor all the same.
func OpenAfter(key []byte, q store.Query, c string) (createdMillis int64, id string, err error) {
	p, err := Open(key, q, c)
	if err != nil {
		return 0, "", err
	}
	return splitPlace(p)
}
