package gcore

import (
	"context"

	"keyport/shared/store"
)

// Page is Gcore's list body: count is every match, results the window limit/offset chose.
// GC-go's offset pager asks for the next page while offset + len(results) < count, so count
// must be the total, never the page's size (docs/wire/gcore.md, "Lists and paging").
type Page[T any] struct {
	Count   int `json:"count"`
	Results []T `json:"results"`
}

// NewPage returns the window of items that offset and limit select, with count len(items).
// The lists' decoders accept offsets up to math.MaxInt64 and limits from 1, so the window is
// computed without offset+limit, which could overflow; an offset past the end (or a negative
// one, or a limit below 1, which no decoder accepts) selects nothing rather than panicking.
// Results is [] rather than null when the window is empty, as GC-go stops on an empty page.
func NewPage[T any](items []T, offset, limit int64) Page[T] {
	p := Page[T]{Count: len(items), Results: []T{}}
	n := int64(len(items))
	if offset < 0 || offset >= n || limit < 1 {
		return p
	}
	end := offset + min(limit, n-offset)
	p.Results = append(p.Results, items[offset:end]...)
	return p
}

// MapPage renders a page's results with f, so only the window is rendered, not every match.
func MapPage[T, U any](p Page[T], f func(T) U) Page[U] {
	out := Page[U]{Count: p.Count, Results: make([]U, len(p.Results))}
	for i, v := range p.Results {
		out.Results[i] = f(v)
	}
	return out
}

// ListDecoded reads every live record q selects (store.All) and decodes each with decode. A
// record that does not decode fails the whole list: it is the server's fault, not the client's.
// So does a store error, which the restricted store has already kinded; a bad cursor cannot
// happen, since the cursors are the store's own, passed straight back.
func ListDecoded[T any](ctx context.Context, l store.Lister, q store.Query, decode func(store.Record) (T, error)) ([]T, error) {
	var out []T
	for rec, err := range store.All(ctx, l, q) {
		if err != nil {
			return nil, err
		}
		v, err := decode(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
