package memstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"keyport/shared/store"
	"keyport/shared/store/internal/txcheck"
)

// Apply runs tx atomically: under the write lock every precondition is checked and, only when
// all hold, every action is applied.
func (s *Store) Apply(ctx context.Context, tx store.Tx) error {
	if err := txcheck.Check(tx); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if c := s.check(tx, now); c != nil {
		return c
	}
	for _, a := range tx {
		switch {
		case a.Put != nil:
			s.put(a.Put, now)
		case a.Update != nil:
			s.update(a.Update, now)
		case a.Delete != nil:
			s.remove(a.Delete.Ref)
		default:
			s.counters[a.Count.Ref] += a.Count.Delta
		}
	}
	return nil
}

// check returns the first refused precondition of tx, or nil.
func (s *Store) check(tx store.Tx, now time.Time) *store.Conflict {
	for i, a := range tx {
		var reason store.Reason
		claim := -1
		switch {
		case a.Put != nil:
			reason, claim = s.checkPut(a.Put, now)
		case a.Update != nil:
			reason = s.checkVersioned(a.Update.Ref, a.Update.IfVersion, now)
		case a.Delete != nil:
			reason = s.checkVersioned(a.Delete.Ref, a.Delete.IfVersion, now)
		default:
			reason = s.checkCount(a.Count)
		}
		if reason != 0 {
			return &store.Conflict{Action: i, Claim: claim, Reason: reason}
		}
	}
	return nil
}

func (s *Store) checkPut(p *store.Put, now time.Time) (store.Reason, int) {
	ref := p.Record.Ref
	if p.IfVersion == 0 {
		if _, live := s.live(ref, now); live {
			return store.Exists, -1
		}
	} else if r := s.checkVersioned(ref, p.IfVersion, now); r != 0 {
		return r, -1
	}
	for i, c := range p.Record.Claims {
		if holder, ok := s.claims[c]; ok && holder != ref {
			if _, live := s.live(holder, now); live {
				return store.Claimed, i
			}
		}
	}
	return 0, -1
}

func (s *Store) checkVersioned(ref store.Ref, ifVersion int64, now time.Time) store.Reason {
	rec, live := s.live(ref, now)
	switch {
	case !live:
		return store.Missing
	case ifVersion != 0 && rec.Version != ifVersion:
		return store.Stale
	}
	return 0
}

func (s *Store) checkCount(c *store.Count) store.Reason {
	n := s.counters[c.Ref]
	switch {
	case c.Delta > 0 && n >= c.Limit:
		return store.AtLimit
	case c.Delta < 0 && n <= 0:
		return store.AtZero
	}
	return 0
}

// put writes a record over whatever is at its ref (nothing, an expired record, or the version
// it replaces), releasing the claims of what it replaces before taking its own.
func (s *Store) put(p *store.Put, now time.Time) {
	rec := clone(p.Record)
	rec.Version, rec.CreatedAt, rec.UpdatedAt = p.IfVersion+1, milli(rec.CreatedAt), milli(now)
	if !rec.ExpiresAt.IsZero() {
		rec.ExpiresAt = ceilMilli(rec.ExpiresAt)
	}
	if rec.Attrs == nil {
		rec.Attrs = store.Attrs{}
	}
	s.remove(rec.Ref)
	for _, c := range rec.Claims {
		s.claims[c] = rec.Ref
	}
	s.records[rec.Ref] = rec
	s.indexPut(rec)
	coll := collOf(rec.Ref)
	ids := s.ids[coll]
	i, _ := slices.BinarySearch(ids, rec.ID)
	s.ids[coll] = slices.Insert(ids, i, rec.ID)
}

func (s *Store) update(u *store.Update, now time.Time) {
	rec := s.records[u.Ref]
	attrs := maps.Clone(rec.Attrs)
	if attrs == nil {
		attrs = store.Attrs{}
	}
	for k, v := range clone(store.Record{Attrs: u.Set}).Attrs {
		if v == nil {
			delete(attrs, k)
		} else {
			attrs[k] = v
		}
	}
	rec.Attrs = attrs
	if u.Sealed != nil {
		rec.Sealed = slices.Clone(u.Sealed)
	}
	at := u.At
	if at.IsZero() {
		at = now
	}
	rec.Version, rec.UpdatedAt = rec.Version+1, milli(at)
	s.indexUpdate(s.records[u.Ref], rec)
	s.records[u.Ref] = rec
}

// remove deletes the record at ref, if any, and the claims it holds.
func (s *Store) remove(ref store.Ref) {
	rec, ok := s.records[ref]
	if !ok {
		return
	}
	for _, c := range rec.Claims {
		if s.claims[c] == ref {
			delete(s.claims, c)
		}
	}
	delete(s.records, ref)
	s.indexRemove(rec)
	coll := collOf(ref)
	ids := s.ids[coll]
	if i, found := slices.BinarySearch(ids, ref.ID); found {
		ids = slices.Delete(ids, i, i+1)
	}
	if len(ids) == 0 {
		delete(s.ids, coll)
	} else {
		s.ids[coll] = ids
	}
}

// milli is t in UTC to the millisecond, as the other drivers keep times, so that a record reads
// back the same from every store.
func milli(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }

// ceilMilli is t rounded up to a millisecond, as the embedded store keeps expiry: a record is
// never treated as expired before its time.
func ceilMilli(t time.Time) time.Time {
	m := milli(t)
	if m.Before(t) {
		m = m.Add(time.Millisecond)
	}
	return m
}
