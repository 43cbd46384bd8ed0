package store

import (
	"context"
	"iter"
)

// Lister is the store's reads of collections: its pages and, for indexed kinds, its counts.
type Lister interface {
	List(ctx context.Context, q Query) (Page, error)
	Count(ctx context.Context, q Query) (int64, error)
}

// All yields every live record q selects (after q.Offset, in q.Order), reading the store a page
// of q.Limit records at a time (MaxPageLimit when 0: a caller that stops early after a few
// records asks for a small page) and following the store's own cursors from q.Cursor. A failed page is yielded once as
// (zero Record, error) and ends the sequence; a caller that stops early reads no further page.
func All(ctx context.Context, l Lister, q Query) iter.Seq2[Record, error] {
	if q.Limit <= 0 || q.Limit > MaxPageLimit {
		q.Limit = MaxPageLimit
	}
	return func(yield func(Record, error) bool) {
		for {
			page, err := l.List(ctx, q)
			if err != nil {
				yield(Record{}, err)
				return
			}
			for _, rec := range page.Records {
				if !yield(rec, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			q.Cursor, q.Offset = page.Next, 0 // the offset was spent on the first page
		}
	}
}
