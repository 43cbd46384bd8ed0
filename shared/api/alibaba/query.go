package alibaba

import (
	"math"
	"net/url"
	"strconv"

	"keyport/shared/fault"
)

// QueryValue returns the one value of the query parameter name ("" when absent or empty). A
// parameter given more than once is refused: the SDK sends each once, and keyport will not
// guess which of two page sizes or filters the caller meant.
func QueryValue(q url.Values, name string) (string, error) {
	switch vs := q[name]; len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", fault.New(fault.Invalid, name, "must be given at most once")
}

// Paging is a list request's page: Number counts from 1, Size is the items per page.
type Paging struct {
	Number int32
	Size   int32
}

// Paging bounds: APIG documents pageNumber from 1 (default 1) and pageSize 1 to 100 (default
// 10). pageNumber has no documented ceiling; the SDK types it int32, so that is the ceiling.
const (
	DefaultPageSize = 10
	MaxPageSize     = 100
)

// ParsePaging reads pageNumber and pageSize from q. An absent or empty parameter takes its
// default (the SDK sends only the ones set); anything else must be a decimal integer in range,
// or the request is refused naming the parameter.
func ParsePaging(q url.Values) (Paging, error) {
	number, err := intParam(q, "pageNumber", 1, math.MaxInt32, 1)
	if err != nil {
		return Paging{}, err
	}
	size, err := intParam(q, "pageSize", 1, MaxPageSize, DefaultPageSize)
	if err != nil {
		return Paging{}, err
	}
	return Paging{Number: int32(number), Size: int32(size)}, nil
}

func intParam(q url.Values, name string, min, max, def int64) (int64, error) {
	v, err := QueryValue(q, name)
	if err != nil || v == "" {
		return def, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < min || n > max {
		return 0, fault.Newf(fault.Invalid, name, "must be an integer from %d to %d", min, max)
	}
	return n, nil
}

// Bounds returns the slice bounds of p's page within total items: [lo, hi), empty past the end.
func (p Paging) Bounds(total int) (lo, hi int) {
	lo = int(min(int64(p.Number-1)*int64(p.Size), int64(total)))
	return lo, min(lo+int(p.Size), total)
}

// Page is the data of an APIG list answer: the page's items, the page asked for and the number
// of matches in all. Items is never null: an empty page is "items":[].
type Page[T any] struct {
	Items      []T   `json:"items"`
	PageNumber int32 `json:"pageNumber"`
	PageSize   int32 `json:"pageSize"`
	TotalSize  int32 `json:"totalSize"`
}

// NewPage is page p of a list of total matches, holding items (those of p's Bounds).
func NewPage[T any](p Paging, total int, items []T) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, PageNumber: p.Number, PageSize: p.Size, TotalSize: int32(min(total, math.MaxInt32))}
}
