// Package pages is what the list operations share to answer a vendor's page from the store's
// creation index (docs/store.md): the window of an unfiltered page, read in O(limit) entries
// after an offset the store skips, and the entries of a filtered one, scanned without reading
// a sealed value.
package pages

import (
	"context"

	"keyport/shared/store"
)

// Window returns the n live records of q from q.Offset on (q.Order is a creation order), fewer
// only at the end of the collection. It reads pages of at most n records, following the
// store's cursors, since a page may hold fewer than its limit (expired records are skipped).
// n is at most store.MaxPageLimit; n 0 reads nothing.
func Window(ctx context.Context, l store.Lister, q store.Query, n int) ([]store.Record, error) {
	if n <= 0 {
		return nil, nil
	}
	out := make([]store.Record, 0, n)
	for len(out) < n {
		q.Limit = n - len(out)
		page, err := l.List(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Records...)
		if page.Next == "" {
			break
		}
		q.Cursor, q.Offset = page.Next, 0 // the offset was spent on the first page
	}
	return out, nil
}

// Counted is an unfiltered page: the total of q's collection (Count) and its window
// [lo, hi) = bounds(total), read with one Window after an offset of lo entries that the store
// skips.
func Counted(ctx context.Context, l store.Lister, q store.Query, bounds func(total int64) (lo, hi int64)) ([]store.Record, int64, error) {
	total, err := l.Count(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	lo, hi := bounds(total)
	q.Offset = int(lo)
	recs, err := Window(ctx, l, q, int(hi-lo))
	return recs, total, err
}

// Matches returns every entry of q (read with Entries, so no sealed value is read) that keep
// accepts, in q's order (store.All).
func Matches(ctx context.Context, l store.Lister, q store.Query, keep func(store.Record) bool) ([]store.Record, error) {
	q.Entries = true
	var out []store.Record
	for rec, err := range store.All(ctx, l, q) {
		if err != nil {
			return nil, err
		}
		if keep(rec) {
			out = append(out, rec)
		}
	}
	return out, nil
}

// Bounds is the window [lo, hi) of total items that offset and limit select, clipped to total
// without computing offset+limit (which could overflow for any offset a decoder accepts). An
// offset past the end, a negative one or a limit below 1 (which no decoder accepts) selects
// nothing.
func Bounds(total, offset, limit int64) (lo, hi int64) {
	if offset < 0 || offset >= total || limit < 1 {
		return 0, 0
	}
	return offset, offset + min(limit, total-offset)
}
