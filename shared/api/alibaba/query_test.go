package alibaba

import (
	"net/url"
	"testing"

	"keyport/shared/fault"
)

func TestParsePaging(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  Paging
		field string // the parameter a refusal names; "" for success
	}{
		{"", Paging{1, 10}, ""},
		{"pageNumber=&pageSize=", Paging{1, 10}, ""},
		{"pageNumber=2147483647&pageSize=100", Paging{2147483647, 100}, ""},
		{"pageNumber=3&pageSize=1", Paging{3, 1}, ""},
		{"pageNumber=0", Paging{}, "pageNumber"},
		{"pageNumber=2147483648", Paging{}, "pageNumber"},
		{"pageNumber=1e3", Paging{}, "pageNumber"},
		{"pageSize=0", Paging{}, "pageSize"},
		{"pageSize=101", Paging{}, "pageSize"},
		{"pageSize=-5", Paging{}, "pageSize"},
		{"pageSize=1&pageSize=1", Paging{}, "pageSize"},
	} {
		q, _ := url.ParseQuery(tc.query)
		got, err := ParsePaging(q)
		if tc.field == "" && (err != nil || got != tc.want) {
			t.Errorf("%q: got %+v, %v; want %+v", tc.query, got, err, tc.want)
		}
		if f := fault.As(err); tc.field != "" && (f.Kind != fault.Invalid || f.Field != tc.field) {
			t.Errorf("%q: got %v, want Invalid naming %s", tc.query, err, tc.field)
		}
	}
}

func TestBoundsAndNewPage(t *testing.T) {
	for _, tc := range []struct {
		p      Paging
		total  int
		lo, hi int
	}{
		{Paging{1, 10}, 0, 0, 0},
		{Paging{1, 10}, 25, 0, 10},
		{Paging{3, 10}, 25, 20, 25},
		{Paging{4, 10}, 25, 25, 25},
		{Paging{2147483647, 100}, 25, 25, 25},
	} {
		if lo, hi := tc.p.Bounds(tc.total); lo != tc.lo || hi != tc.hi {
			t.Errorf("%+v of %d: got %d..%d, want %d..%d", tc.p, tc.total, lo, hi, tc.lo, tc.hi)
		}
	}
	if p := NewPage[int](Paging{2, 5}, 7, nil); p.Items == nil || p.PageNumber != 2 || p.PageSize != 5 || p.TotalSize != 7 {
		t.Errorf("got %+v, want an empty non-nil page 2 of size 5 with 7 in all", p)
	}
}
