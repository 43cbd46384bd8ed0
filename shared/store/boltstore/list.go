package boltstore

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// List returns one page of q's live records in ascending byte order of ID. It seeks to the
// collection's prefix (or just past the cursor's last id) and reads forward only as far as one
// page and one more key.
func (s *Store) List(ctx context.Context, q store.Query) (store.Page, error) {
	if err := ctx.Err(); err != nil {
		return store.Page{}, err
	}
	if err := txcheck.CheckQuery(q); err != nil {
		return store.Page{}, fmt.Errorf("boltstore: list: %w", err)
	}
	switch {
	case q.Order.ByCreation():
		return s.listByCreation(q)
	case q.Order == store.ByAttr:
		return s.listByAttr(q)
	}
	coll := collection(q.Service, q.Tenant, q.Kind)
	prefix := append(bytes.Clone(coll), q.Prefix...)
	start := prefix
	after := ""
	if q.Cursor != "" {
		last, err := cursor.Open(s.cursorKey, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		after, start = last, append(bytes.Clone(coll), last...)
	}
	limit := txcheck.PageLimit(q)
	var page store.Page
	err := s.db.View(func(tx *bolt.Tx) error {
		now := s.now()
		c := tx.Bucket(recordsBucket).Cursor()
		for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			id := string(k[len(coll):])
			if q.Cursor != "" && id <= after {
				continue
			}
			if len(page.Records) == limit {
				page.Next = cursor.Make(s.cursorKey, q, page.Records[limit-1].ID)
				return nil
			}
			st, err := unmarshal(v)
			if err != nil {
				return err
			}
			if !st.live(now) {
				continue
			}
			page.Records = append(page.Records, st.record(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: id}))
		}
		return nil
	})
	if err != nil {
		return store.Page{}, fmt.Errorf("boltstore: list: %w", err)
	}
	return page, nil
}

// listByCreation is List in a creation order: it seeks the creation index to where the page
// starts (just past the cursor's entry, or the group's first or last entry), skips Offset live
// entries without reading their records, and reads one page and one more entry.
func (s *Store) listByCreation(q store.Query) (store.Page, error) {
	g := groupKeyOfQuery(q)
	var after []byte
	if q.Cursor != "" {
		created, id, err := cursor.OpenAfter(s.cursorKey, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		after = append(ordered(bytes.Clone(g), created), id...)
	}
	var page store.Page
	err := s.db.View(func(tx *bolt.Tx) error {
		w := walk{c: tx.Bucket(createdBucket).Cursor(), forward: q.Order == store.Oldest}
		now := s.now()
		skip := 0
		if q.Cursor == "" {
			skip = q.Offset
		}
		for k, v := w.start(g, after); k != nil && bytes.HasPrefix(k, g); k, v = w.next() {
			live, err := entryLive(v, now)
			if err != nil || !live {
				if err != nil {
					return err
				}
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(page.Records) == txcheck.PageLimit(q) {
				page.Next = cursor.MakeAfter(s.cursorKey, q, page.Records[len(page.Records)-1])
				return nil
			}
			rec, err := readEntry(tx, q, k[len(g)+8:], v, now)
			if err != nil {
				return err
			}
			page.Records = append(page.Records, rec)
		}
		return nil
	})
	if err != nil {
		return store.Page{}, fmt.Errorf("boltstore: list: %w", err)
	}
	return page, nil
}

// readEntry is the page's record for the entry v of id: the entry itself, or the record.
func readEntry(tx *bolt.Tx, q store.Query, id []byte, v []byte, now time.Time) (store.Record, error) {
	ref := store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: string(id)}
	if q.Entries {
		st, err := unmarshal(v)
		return st.record(ref), err
	}
	st, live, err := liveRecord(tx.Bucket(recordsBucket), physical(ref), now)
	if err == nil && !live {
		err = fmt.Errorf("index entry of %s has no live record", ref)
	}
	return st.record(ref), err
}

// walk moves a cursor through one group of the creation index, forwards or backwards.
type walk struct {
	c       *bolt.Cursor
	forward bool
}

// start positions the walk at its first entry: just past after when it is set, otherwise the
// group's first (forwards) or last (backwards) key.
func (w walk) start(g, after []byte) ([]byte, []byte) {
	switch {
	case w.forward && after == nil:
		return w.c.Seek(g)
	case w.forward:
		k, v := w.c.Seek(after)
		if k != nil && bytes.Equal(k, after) {
			return w.c.Next()
		}
		return k, v
	case after == nil:
		return w.before(prefixEnd(g))
	}
	return w.before(after)
}

// before is the last key below end (nil: the bucket's last key).
func (w walk) before(end []byte) ([]byte, []byte) {
	if end == nil {
		return w.c.Last()
	}
	if k, _ := w.c.Seek(end); k == nil {
		return w.c.Last()
	}
	return w.c.Prev()
}

func (w walk) next() ([]byte, []byte) {
	if w.forward {
		return w.c.Next()
	}
	return w.c.Prev()
}

// prefixEnd is the least key above every key with prefix p, nil when there is none.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Count returns the number of live records of q's indexed collection and group (tally).
func (s *Store) Count(ctx context.Context, q store.Query) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := txcheck.CheckCount(q); err != nil {
		return 0, fmt.Errorf("boltstore: %w", err)
	}
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = countLive(tx, groupKeyOfQuery(q), s.now().UnixMilli())
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: count: %w", err)
	}
	return n, nil
}
