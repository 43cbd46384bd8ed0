// Package pagestest measures what a list reads from the store: a Store wrapper that counts the
// records (and index entries) and bytes its List and Get calls return, for tests that assert a
// page's cost and for the page benchmarks (docs/benchmarks.md).
package pagestest

import (
	"context"
	"sync/atomic"

	"keyport/shared/store"
)

// Counting is a store.Store that counts what List and Get return. Apply and Count pass through
// uncounted (a Count reads no record).
type Counting struct {
	store.Store
	records, bytes, calls atomic.Int64
}

// NewCounting wraps s.
func NewCounting(s store.Store) *Counting { return &Counting{Store: s} }

// Reads is what the calls since the last Reset returned.
type Reads struct {
	Records int64 // records and index entries returned by List and Get
	Bytes   int64 // their Size
	Calls   int64 // List and Get calls
}

// Reads returns the counts since the last Reset.
func (c *Counting) Reads() Reads {
	return Reads{Records: c.records.Load(), Bytes: c.bytes.Load(), Calls: c.calls.Load()}
}

// Reset zeroes the counts.
func (c *Counting) Reset() { c.records.Store(0); c.bytes.Store(0); c.calls.Store(0) }

func (c *Counting) Get(ctx context.Context, ref store.Ref) (store.Record, error) {
	rec, err := c.Store.Get(ctx, ref)
	c.calls.Add(1)
	if err == nil {
		c.records.Add(1)
		c.bytes.Add(Size(rec))
	}
	return rec, err
}

func (c *Counting) List(ctx context.Context, q store.Query) (store.Page, error) {
	page, err := c.Store.List(ctx, q)
	c.calls.Add(1)
	c.records.Add(int64(len(page.Records)))
	for _, rec := range page.Records {
		c.bytes.Add(Size(rec))
	}
	return page, err
}

// Size is the bytes a record carries: its id, attribute names and values, sealed value and
// claims (the times and version, a few bytes each, are left out).
func Size(rec store.Record) int64 {
	n := len(rec.ID) + len(rec.Sealed)
	for k, v := range rec.Attrs {
		n += len(k)
		switch v := v.(type) {
		case string:
			n += len(v)
		case []string:
			for _, s := range v {
				n += len(s)
			}
		default:
			n += 8
		}
	}
	for _, c := range rec.Claims {
		n += len(c.Kind) + len(c.ID) + len(c.Tenant)
	}
	return int64(n)
}
