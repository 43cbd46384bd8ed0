// Package memstore is the in-memory store.Store driver: `keyport -store memory` and the
// keyporttest package run on it, so a test run writes nothing to disk and pays no fsync. It keeps
// the contract the other drivers keep (storetest), and holds its state only as long as the
// process: nothing survives a restart.
//
// One mutex guards everything: Apply checks every precondition and applies every action under
// the write lock, so a transaction is atomic and serializable; readers take the read lock. Each
// (service, tenant, kind) keeps its ids sorted, so a List is a binary search to the prefix or
// cursor and a walk of one page, never a scan of the store. Records are copied in and out: a
// caller never shares a slice or map with the store. Times are kept to the millisecond, as the
// other drivers keep them.
package memstore

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// collection names the records one Query ranges over.
type collection struct{ service, tenant, kind string }

func collOf(r store.Ref) collection { return collection{r.Service, r.Tenant, r.Kind} }

// Store is a store.Store held in memory. It is safe for concurrent use.
type Store struct {
	mu        sync.RWMutex
	records   map[store.Ref]store.Record
	claims    map[store.Ref]store.Ref // claim -> the record that holds it
	counters  map[store.Ref]int64
	ids       map[collection][]string // each collection's record ids, sorted
	indexes   map[group]*index        // indexed collections' creation, expiry and attribute order
	now       func() time.Time
	cursorKey []byte
}

var _ store.Store = (*Store)(nil)

// New returns an empty store with a fresh random cursor key.
func New() *Store {
	key := make([]byte, cursor.KeySize)
	_, _ = rand.Read(key) // crypto/rand.Read never returns an error (Go 1.24)
	s := &Store{now: time.Now, cursorKey: key}
	s.reset()
	return s
}

func (s *Store) reset() {
	s.records = map[store.Ref]store.Record{}
	s.claims = map[store.Ref]store.Ref{}
	s.counters = map[store.Ref]int64{}
	s.ids = map[collection][]string{}
	s.indexes = map[group]*index{}
}

// Reset removes every record, claim and counter. Cursors issued before it stay valid in form
// but find only what was written after.
func (s *Store) Reset(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
	return nil
}

// Get returns a copy of the live record at ref, or store.ErrNotFound.
func (s *Store) Get(ctx context.Context, ref store.Ref) (store.Record, error) {
	if err := ctx.Err(); err != nil {
		return store.Record{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec, ok := s.live(ref, s.now())
	if !ok {
		return store.Record{}, store.ErrNotFound
	}
	return clone(rec), nil
}

// live returns the record at ref when it exists and has not expired at now.
func (s *Store) live(ref store.Ref, now time.Time) (store.Record, bool) {
	rec, ok := s.records[ref]
	if !ok || rec.Expired(now) {
		return store.Record{}, false
	}
	return rec, true
}

// CountRecords returns the number of live records; claims and counters are not records.
func (s *Store) CountRecords(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	now, n := s.now(), 0
	for _, r := range s.records {
		if !r.Expired(now) {
			n++
		}
	}
	return n, nil
}

// CounterValue returns the quota counter at ref, 0 when it was never moved.
func (s *Store) CounterValue(ctx context.Context, ref store.Ref) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.counters[ref], nil
}

// List returns one page of q's live records in ascending byte order of ID.
func (s *Store) List(ctx context.Context, q store.Query) (store.Page, error) {
	if err := ctx.Err(); err != nil {
		return store.Page{}, err
	}
	if err := txcheck.CheckQuery(q); err != nil {
		return store.Page{}, fmt.Errorf("memstore: list: %w", err)
	}
	switch {
	case q.Order.ByCreation():
		return s.listByCreation(q)
	case q.Order == store.ByAttr:
		return s.listByAttr(q)
	}
	after, start := "", q.Prefix
	if q.Cursor != "" {
		last, err := cursor.Open(s.cursorKey, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		after, start = last, last
	}
	limit := txcheck.PageLimit(q)
	coll := collection{q.Service, q.Tenant, q.Kind}
	s.mu.RLock()
	defer s.mu.RUnlock()
	now, ids := s.now(), s.ids[coll]
	i, _ := slices.BinarySearch(ids, start)
	var page store.Page
	for ; i < len(ids) && hasPrefix(ids[i], q.Prefix); i++ {
		if q.Cursor != "" && ids[i] <= after {
			continue
		}
		if len(page.Records) == limit {
			page.Next = cursor.Make(s.cursorKey, q, page.Records[limit-1].ID)
			break
		}
		if rec, ok := s.live(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: ids[i]}, now); ok {
			page.Records = append(page.Records, clone(rec))
		}
	}
	return page, nil
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// clone copies what a record shares by reference: its attributes (lists too), sealed value
// and claims.
func clone(r store.Record) store.Record {
	if r.Attrs != nil {
		r.Attrs = maps.Clone(r.Attrs)
		for k, v := range r.Attrs {
			if l, ok := v.([]string); ok {
				r.Attrs[k] = slices.Clone(l)
			}
		}
	}
	r.Sealed = slices.Clone(r.Sealed)
	r.Claims = slices.Clone(r.Claims)
	return r
}
