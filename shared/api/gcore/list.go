package gcore

// Page is Gcore's list body: count is every match, results the window limit/offset chose.
// GC-go's offset pager asks for the next page while offset + len(results) < count, so count
// must be the total, never the page's size (docs/wire/gcore.md, "Lists and paging").
type Page[T any] struct {
	Count   int `json:"count"`
	Results []T `json:"results"`
}

// MapPage renders a page's results with f. Results is [] rather than null when the page is
// empty, as GC-go stops on an empty page.
func MapPage[T, U any](p Page[T], f func(T) U) Page[U] {
	out := Page[U]{Count: p.Count, Results: make([]U, len(p.Results))}
	for i, v := range p.Results {
		out.Results[i] = f(v)
	}
	return out
}
