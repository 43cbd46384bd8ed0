package listsecrets

import (
	"net/url"
	"testing"
	"time"

	"keyport/shared/fault"
)

func TestDecodePaging(t *testing.T) {
	tests := []struct {
		query         string
		limit, offset int
	}{
		{"", 10, 0}, {"limit=5&offset=3", 5, 3}, {"limit=0", 1, 0}, {"limit=-4", 1, 0}, {"limit=101", 100, 0},
		{"limit=x", 10, 0}, {"offset=-1", 10, 0}, {"offset=x", 10, 0}, {"limit=1.5", 10, 0},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		q, err := decode(v)
		if err != nil || q.limit != tt.limit || q.offset != tt.offset {
			t.Errorf("decode(%q): got limit %d offset %d err %v, want %d %d", tt.query, q.limit, q.offset, err, tt.limit, tt.offset)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, query := range []string{
		"sort=nope", "sort=name:up", "sort=name,name", "sort=name:asc,name:desc",
		"created=yesterday", "created=gt:2020-01-01T00:00:00Z,gt:2021-01-01T00:00:00Z",
		"updated=2020-01-01T00:00:00Z,lt:2021-01-01T00:00:00Z", "expiration=gt:2020-01-01,gte:2020-01-01",
		"expiration=lt:2020-01-01,lte:2020-01-01", "created=eq:2020-01-01",
	} {
		v, _ := url.ParseQuery(query)
		if _, err := decode(v); fault.KindOf(err) != fault.Malformed {
			t.Errorf("decode(%q): got %v, want a 400", query, err)
		}
	}
}

func TestDecodeAccepts(t *testing.T) {
	for _, query := range []string{
		"sort=name", "sort=created:desc,name:asc,bit_length", "created=gt:2020-01-01T00:00:00Z,lt:2030-01-01T00:00:00Z",
		"updated=2020-01-01T00:00:00.5", "expiration=gte:2020-01-01", "bits=x", "acl_only=true", "unknown=1",
	} {
		v, _ := url.ParseQuery(query)
		if _, err := decode(v); err != nil {
			t.Errorf("decode(%q): got %v, want it accepted", query, err)
		}
	}
}

func TestLike(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"key", "key", true}, {"key", "Key", false}, {"key", "key1", false}, {"key%", "key1", true},
		{"%1", "key1", true}, {"k_y", "key", true}, {"k_y", "kxxy", false}, {"%", "", true}, {"", "", true},
		{"a%b%c", "aXbYc", true}, {"a%b%c", "aXbY", false}, {"%%%x", "abcx", true}, {"é_", "éa", true},
	}
	for _, tt := range tests {
		if got := compileLike(tt.pattern).match(tt.s); got != tt.want {
			t.Errorf("like(%q).match(%q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestDateMatches(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		filter string
		want   bool
	}{
		{"2026-01-01T00:00:00Z", true}, {"gt:2026-01-01T00:00:00Z", false}, {"gte:2026-01-01T00:00:00Z", true},
		{"lt:2026-01-01T00:00:01Z", true}, {"lte:2025-12-31T23:59:59Z", false},
		{"gt:2025-01-01T00:00:00+09:00,lt:2027-01-01", true},
	}
	for _, tt := range tests {
		fs, err := dateFilters("created", tt.filter)
		if err != nil {
			t.Fatalf("%q: %v", tt.filter, err)
		}
		if got := matches(fs, at); got != tt.want {
			t.Errorf("%q matches %v: got %v, want %v", tt.filter, at, got, tt.want)
		}
	}
}
