package boltstore

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// The attribute index (store.DeclareAttrIndex) is the bucket index-attrs: one key per record
// with a value there (store.AttrValue), group key · escaped value · 0x00 0x01 · created ms ·
// id, and an empty value.
//
// The escaping keeps the keys in the values' byte order although a value may hold 0x00: a 0x00
// is written 0x00 0xFF and the value ends with 0x00 0x01. Where two values first differ, a
// 0x00 (0x00 0xFF) sorts below any other byte, and a value that has ended (0x00 0x01) below
// both, as a shorter value sorts below its extensions. The escaped form of a prefix is a prefix
// of the escaped forms of exactly the values that start with it, so a ByAttr page seeks to
// group key · escaped AttrPrefix and stops at the first key that does not start with it (with
// AttrExact, with the escaped value and its end: exactly that value's keys).
//
// The key ends with the record's place in the creation index (created · id), and that is its
// only pointer: the entry is not copied. A copy would double the index bytes every create
// writes and every update of an indexed record would rewrite two entries; as it is, a create
// adds one short key and an update touches the bucket only when it changes the value. A page
// pays one point lookup in index-created per match instead (the entry says whether the record
// is live and is what Entries returns), as a creation-order page reads the same entries.

// appendEscaped appends the escaped form of v, without its end.
func appendEscaped(out []byte, v string) []byte {
	for {
		i := strings.IndexByte(v, 0)
		if i < 0 {
			return append(out, v...)
		}
		out = append(append(out, v[:i]...), 0, 0xff)
		v = v[i+1:]
	}
}

// attrKey is the attribute index key of the record id created at created with value, in the
// group at g.
func attrKey(g []byte, value string, created int64, id string) []byte {
	out := append(appendEscaped(append(make([]byte, 0, len(g)+len(value)+10+len(id)+4), g...), value), 0, 1)
	return append(ordered(out, created), id...)
}

// attrKeyOf is the attribute index key of the record st at r, whose group key is g, or nil
// when it has no value there.
func attrKeyOf(g []byte, r store.Ref, st stored) []byte {
	value, ok := store.AttrValue(store.Record{Ref: r, Attrs: st.Attrs})
	if !ok {
		return nil
	}
	return attrKey(g, value, st.Created, r.ID)
}

var errAttrKey = errors.New("boltstore: malformed attribute index key")

// splitAttrKey reverses attrKey after the group key: the value, and the record's place in the
// creation index (created ms, id).
func splitAttrKey(rest []byte) (value string, place []byte, err error) {
	var v []byte
	for {
		i := bytes.IndexByte(rest, 0)
		if i < 0 || i+1 == len(rest) {
			return "", nil, errAttrKey
		}
		v = append(v, rest[:i]...)
		switch rest[i+1] {
		case 0xff:
			v, rest = append(v, 0), rest[i+2:]
		case 1:
			if place = rest[i+2:]; len(place) <= 8 {
				return "", nil, errAttrKey
			}
			return string(v), place, nil
		default:
			return "", nil, errAttrKey
		}
	}
}

// moveAttr moves the attribute entry of the record at ref from old's value to next's, when an
// update changed it (or gave or took away the value).
func (b buckets) moveAttr(ref store.Ref, old, next stored) error {
	g := groupKey(ref)
	from, to := attrKeyOf(g, ref, old), attrKeyOf(g, ref, next)
	if bytes.Equal(from, to) {
		return nil
	}
	if from != nil {
		if err := b.attrs.Delete(from); err != nil {
			return err
		}
	}
	if to == nil {
		return nil
	}
	return b.attrs.Put(to, nil)
}

// listByAttr is List in the attribute index: it seeks to just past the cursor's entry (or to
// the first value starting with AttrPrefix), and reads forward until the page is full and one
// more live match is found, or the first key past the prefix.
func (s *Store) listByAttr(q store.Query) (store.Page, error) {
	g := groupKeyOfQuery(q)
	prefix := appendEscaped(bytes.Clone(g), q.AttrPrefix)
	if q.AttrExact {
		prefix = append(prefix, 0, 1) // the value ends there
	}
	start, after := prefix, []byte(nil)
	if q.Cursor != "" {
		value, created, id, err := cursor.OpenAttr(s.cursorKey, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		after = attrKey(g, value, created, id)
		start = after
	}
	limit := txcheck.PageLimit(q)
	var page store.Page
	err := s.db.View(func(tx *bolt.Tx) error {
		now := s.now()
		created := tx.Bucket(createdBucket)
		c := tx.Bucket(attrsBucket).Cursor()
		k, _ := c.Seek(start)
		if after != nil && bytes.Equal(k, after) {
			k, _ = c.Next()
		}
		lastValue, entryKey := "", bytes.Clone(g)
		for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			value, place, err := splitAttrKey(k[len(g):])
			if err == nil && !q.AttrMatches(value) {
				err = errAttrKey
			}
			if err != nil {
				return err
			}
			entryKey = append(entryKey[:len(g)], place...)
			entry := created.Get(entryKey)
			if entry == nil {
				return fmt.Errorf("attribute index key %q has no creation index entry", k)
			}
			live, err := entryLive(entry, now)
			if err != nil || !live {
				if err != nil {
					return err
				}
				continue
			}
			if len(page.Records) == limit {
				page.Next = cursor.MakeAttr(s.cursorKey, q, lastValue, page.Records[limit-1])
				return nil
			}
			rec, err := readEntry(tx, q, place[8:], entry, now)
			if err != nil {
				return err
			}
			page.Records, lastValue = append(page.Records, rec), value
		}
		return nil
	})
	if err != nil {
		return store.Page{}, fmt.Errorf("boltstore: list: %w", err)
	}
	return page, nil
}
