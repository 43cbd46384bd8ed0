package gcore

import (
	"context"
	"fmt"

	"keyport/shared/store"
)

// Page is Gcore's list body: count is every match, results the window limit/offset chose.
// GC-go's offset pager asks for the next page while offset + len(results) < count, so count
// must be the total, never the page's size.
type Page[T any] struct {
	Count   int `json:"count"`
	Results []T `json:"results"`
}

// NewPage returns the window of items that offset and limit (neither negative) select, with
// count len(items).
// Results is [] rather than null when the window is empty, as GC-go stops on an empty page.
func NewPage[T any](items []T, offset, limit int64) Page[T] {
	p := Page[T]{Count: len(items), Results: []T{}}
	if offset >= int64(len(items)) {
		return p
	}
	end := offset + min(limit, int64(len(items))-offset) // no offset+limit: it could overflow
	p.Results = append(p.Results, items[offset:end]...)
	return p
}

// ListAll reads every live record q selects, page after page. A bad cursor cannot happen (the
// cursors are the store's own, passed straight back), so every error is the server's.
func ListAll(ctx context.Context, l Lister, q store.Query) ([]store.Record, error) {
	q.Limit = store.MaxPageLimit
	var out []store.Record
	for {
		page, err := l.List(ctx, q)
		if err != nil {
			// Flattened so no driver error can become a client status.
			return nil, fmt.Errorf("gcore: list %s/%s: %v", q.Service, q.Kind, err)
		}
		out = append(out, page.Records...)
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}

// ListDecoded reads every live record q selects (see ListAll) and decodes each with decode. A
// record that does not decode fails the whole list: it is the server's fault, not the client's.
func ListDecoded[T any](ctx context.Context, l Lister, q store.Query, decode func(store.Record) (T, error)) ([]T, error) {
	recs, err := ListAll(ctx, l, q)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(recs))
	for i, rec := range recs {
		if out[i], err = decode(rec); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Lister is the store call a list operation makes.
type Lister interface {
	List(ctx context.Context, q store.Query) (store.Page, error)
}

// MapPage renders a page's results with f, so only the window is rendered, not every match.
func MapPage[T, U any](p Page[T], f func(T) U) Page[U] {
	out := Page[U]{Count: p.Count, Results: make([]U, len(p.Results))}
	for i, v := range p.Results {
		out.Results[i] = f(v)
	}
	return out
}
