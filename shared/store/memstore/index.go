package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// index is one indexed collection's creation index, expiry index and attribute index, each
// kept sorted, so a page is a binary search and a walk, and a count is the collection's size
// less the entries that have expired (a binary search of the expiry index).
type index struct {
	order    []entry     // by (created, id)
	expiring []entry     // by (expires, id), records with an expiry only
	attrs    []attrEntry // by (value, created, id), records with an attribute value only (store.AttrValue)
}

type entry struct {
	at int64 // unix milliseconds: created in order, expires in expiring
	id string
}

func compareEntries(a, b entry) int {
	return cmp.Or(cmp.Compare(a.at, b.at), strings.Compare(a.id, b.id))
}

func insertEntry(l []entry, e entry) []entry {
	i, _ := slices.BinarySearchFunc(l, e, compareEntries)
	return slices.Insert(l, i, e)
}

func removeEntry(l []entry, e entry) []entry {
	if i, found := slices.BinarySearchFunc(l, e, compareEntries); found {
		return slices.Delete(l, i, i+1)
	}
	return l
}

// group names one index: a collection and a group of its ids (store.Group).
type group struct {
	collection
	prefix string
}

func groupOf(r store.Ref) group { return group{collOf(r), store.Group(r.ID)} }

func groupOfQuery(q store.Query) group {
	return group{collection{q.Service, q.Tenant, q.Kind}, q.Prefix}
}

// indexPut adds rec to its collection's index, when its kind is indexed.
func (s *Store) indexPut(rec store.Record) {
	if !store.IndexedRef(rec.Ref) {
		return
	}
	g := groupOf(rec.Ref)
	ix := s.indexes[g]
	if ix == nil {
		ix = &index{}
		s.indexes[g] = ix
	}
	ix.order = insertEntry(ix.order, entry{rec.CreatedAt.UnixMilli(), rec.ID})
	if !rec.ExpiresAt.IsZero() {
		ix.expiring = insertEntry(ix.expiring, entry{rec.ExpiresAt.UnixMilli(), rec.ID})
	}
	ix.attrPut(rec)
}

// indexRemove takes rec out of its collection's index.
func (s *Store) indexRemove(rec store.Record) {
	g := groupOf(rec.Ref)
	ix := s.indexes[g]
	if ix == nil {
		return
	}
	ix.order = removeEntry(ix.order, entry{rec.CreatedAt.UnixMilli(), rec.ID})
	if !rec.ExpiresAt.IsZero() {
		ix.expiring = removeEntry(ix.expiring, entry{rec.ExpiresAt.UnixMilli(), rec.ID})
	}
	ix.attrRemove(rec)
	if len(ix.order) == 0 {
		delete(s.indexes, g)
	}
}

// indexUpdate moves rec's attribute entry, when an update changed it from old's.
func (s *Store) indexUpdate(old, rec store.Record) {
	if !store.IndexedRef(rec.Ref) {
		return
	}
	if ix := s.indexes[groupOf(rec.Ref)]; ix != nil {
		ix.attrRemove(old)
		ix.attrPut(rec)
	}
}

// Count returns the number of live records of q's indexed collection.
func (s *Store) Count(ctx context.Context, q store.Query) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := txcheck.CheckCount(q); err != nil {
		return 0, fmt.Errorf("memstore: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix := s.indexes[groupOfQuery(q)]
	if ix == nil {
		return 0, nil
	}
	// Expired: expires <= now, that is every entry before (now+1ms, "").
	expired, _ := slices.BinarySearchFunc(ix.expiring, entry{s.now().UnixMilli() + 1, ""}, compareEntries)
	return int64(len(ix.order) - expired), nil
}

// listByCreation is List in a creation order: it finds where the page starts (after the
// cursor's position, or past Offset entries) and walks the index one way or the other.
func (s *Store) listByCreation(q store.Query) (store.Page, error) {
	var last entry
	if q.Cursor != "" {
		created, id, err := cursor.OpenAfter(s.cursorKey, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		last = entry{created, id}
	}
	limit := txcheck.PageLimit(q)
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	var order []entry
	if ix := s.indexes[groupOfQuery(q)]; ix != nil {
		order = ix.order
	}
	i, step := 0, 1
	if q.Order == store.Newest {
		i, step = len(order)-1, -1
	}
	if q.Cursor != "" {
		j, found := slices.BinarySearchFunc(order, last, compareEntries)
		if i = j; step > 0 && found {
			i++
		} else if step < 0 {
			i = j - 1
		}
	} else {
		i += step * min(q.Offset, len(order))
	}
	var page store.Page
	for ; i >= 0 && i < len(order); i += step {
		rec, ok := s.live(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: order[i].id}, now)
		if !ok {
			continue
		}
		if len(page.Records) == limit {
			page.Next = cursor.MakeAfter(s.cursorKey, q, page.Records[limit-1])
			break
		}
		rec = clone(rec)
		if q.Entries {
			rec.Sealed, rec.Claims = nil, nil
		}
		page.Records = append(page.Records, rec)
	}
	return page, nil
}
