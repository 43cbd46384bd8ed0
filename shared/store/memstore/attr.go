package memstore

import (
	"cmp"
	"slices"
	"strings"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// attrEntry is a record's place in its group's attribute index: its indexed value, then its
// creation millisecond and id, which order equal values as the creation index does.
type attrEntry struct {
	value string
	at    int64
	id    string
}

func compareAttrEntries(a, b attrEntry) int {
	return cmp.Or(strings.Compare(a.value, b.value), cmp.Compare(a.at, b.at), strings.Compare(a.id, b.id))
}

func attrEntryOf(rec store.Record) (attrEntry, bool) {
	v, ok := store.AttrValue(rec)
	return attrEntry{v, rec.CreatedAt.UnixMilli(), rec.ID}, ok
}

// attrPut adds rec to the attribute index, when it has a value there.
func (ix *index) attrPut(rec store.Record) {
	if e, ok := attrEntryOf(rec); ok {
		i, _ := slices.BinarySearchFunc(ix.attrs, e, compareAttrEntries)
		ix.attrs = slices.Insert(ix.attrs, i, e)
	}
}

// attrRemove takes rec out of the attribute index.
func (ix *index) attrRemove(rec store.Record) {
	if e, ok := attrEntryOf(rec); ok {
		if i, found := slices.BinarySearchFunc(ix.attrs, e, compareAttrEntries); found {
			ix.attrs = slices.Delete(ix.attrs, i, i+1)
		}
	}
}

// listByAttr is List in the attribute index: a binary search to the first entry past the
// cursor's (or to the first value starting with AttrPrefix), then a walk that stops at the
// first value that does not match (with AttrExact, the first value past AttrPrefix's run), so
// it reads the matches and one more entry.
func (s *Store) listByAttr(q store.Query) (store.Page, error) {
	from := attrEntry{value: q.AttrPrefix, at: minMillis}
	if q.Cursor != "" {
		value, created, id, err := cursor.OpenAttr(s.cursorKey, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		from = attrEntry{value, created, id}
	}
	limit := txcheck.PageLimit(q)
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	var attrs []attrEntry
	if ix := s.indexes[groupOfQuery(q)]; ix != nil {
		attrs = ix.attrs
	}
	i, found := slices.BinarySearchFunc(attrs, from, compareAttrEntries)
	if found && q.Cursor != "" {
		i++
	}
	var page store.Page
	lastValue := ""
	for ; i < len(attrs) && q.AttrMatches(attrs[i].value); i++ {
		rec, ok := s.live(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: attrs[i].id}, now)
		if !ok {
			continue
		}
		if len(page.Records) == limit {
			page.Next = cursor.MakeAttr(s.cursorKey, q, lastValue, page.Records[limit-1])
			break
		}
		rec = clone(rec)
		if q.Entries {
			rec.Sealed, rec.Claims = nil, nil
		}
		page.Records, lastValue = append(page.Records, rec), attrs[i].value
	}
	return page, nil
}

// minMillis sorts before every creation millisecond.
const minMillis = -1 << 63
