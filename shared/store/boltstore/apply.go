package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"time"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
	"keyport/shared/store/internal/txcheck"
)

// Apply runs tx atomically: every precondition is checked against the committed state and,
// only when all hold, every action is applied in the same bbolt transaction.
func (s *Store) Apply(ctx context.Context, tx store.Tx) error {
	if err := txcheck.Check(tx); err != nil {
		return fmt.Errorf("boltstore: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now()
	enc, err := encode(tx, now)
	if err != nil {
		return err
	}
	var refused error
	err = s.writes.do(ctx, func(btx *bolt.Tx) error {
		// This may run more than once; each run decides afresh and only the last counts.
		b := bucketsOf(btx)
		var err error
		refused, err = b.check(tx, enc, now)
		if err != nil || refused != nil {
			return err
		}
		return b.apply(tx, enc, now)
	})
	if err != nil {
		return fmt.Errorf("boltstore: apply: %w", err)
	}
	return refused
}

type buckets struct {
	records, claims, counters         *bolt.Bucket
	created, expiring, tallies, attrs *bolt.Bucket // index.go
}

func bucketsOf(tx *bolt.Tx) buckets {
	return buckets{tx.Bucket(recordsBucket), tx.Bucket(claimsBucket), tx.Bucket(countersBucket),
		tx.Bucket(createdBucket), tx.Bucket(expiringBucket), tx.Bucket(talliesBucket), tx.Bucket(attrsBucket)}
}

// encoded is one action's ref and physical key and, for a Put, its record as stored, the keys
// of its claims and, for an indexed record, its index entry. They depend on nothing in the store, so Apply computes them before its transaction
// joins the single writer, where every microsecond is spent once per write of the group.
type encoded struct {
	ref    store.Ref
	key    []byte
	value  []byte
	claims [][]byte
	stored stored
	entry  []byte
}

func encode(tx store.Tx, now time.Time) ([]encoded, error) {
	out := make([]encoded, len(tx))
	for i, a := range tx {
		switch {
		case a.Put != nil:
			e, err := encodePut(a.Put, now)
			if err != nil {
				return nil, err
			}
			out[i] = e
		case a.Update != nil:
			out[i] = encoded{ref: a.Update.Ref, key: physical(a.Update.Ref)}
		case a.Delete != nil:
			out[i] = encoded{ref: a.Delete.Ref, key: physical(a.Delete.Ref)}
		default:
			out[i] = encoded{ref: a.Count.Ref, key: physical(a.Count.Ref)}
		}
	}
	return out, nil
}

func encodePut(p *store.Put, now time.Time) (encoded, error) {
	st := toStored(p.Record, p.IfVersion+1, now)
	v, err := st.marshal()
	if err != nil {
		return encoded{}, err
	}
	e := encoded{ref: p.Record.Ref, key: physical(p.Record.Ref), value: v, stored: st}
	for _, c := range p.Record.Claims {
		e.claims = append(e.claims, physical(c))
	}
	if store.IndexedRef(e.ref) {
		if e.entry, err = entryOf(st); err != nil {
			return encoded{}, err
		}
	}
	return e, nil
}

// check returns the first refused precondition of tx as a *store.Conflict, writing nothing.
func (b buckets) check(tx store.Tx, enc []encoded, now time.Time) (refused, err error) {
	for i, a := range tx {
		var reason store.Reason
		claim := -1
		switch {
		case a.Put != nil:
			reason, claim, err = b.checkPut(a.Put, enc[i], now)
		case a.Update != nil:
			reason, err = b.checkVersioned(enc[i].key, a.Update.IfVersion, now)
		case a.Delete != nil:
			reason, err = b.checkVersioned(enc[i].key, a.Delete.IfVersion, now)
		default:
			reason = b.checkCount(a.Count, enc[i].key)
		}
		if err != nil {
			return nil, err
		}
		if reason != 0 {
			return &store.Conflict{Action: i, Claim: claim, Reason: reason}, nil
		}
	}
	return nil, nil
}

func (b buckets) checkPut(p *store.Put, enc encoded, now time.Time) (store.Reason, int, error) {
	if p.IfVersion == 0 {
		if _, live, err := liveRecord(b.records, enc.key, now); err != nil || live {
			return store.Exists, -1, err
		}
	} else if r, err := b.checkVersioned(enc.key, p.IfVersion, now); err != nil || r != 0 {
		return r, -1, err
	}
	for i, c := range enc.claims {
		held, err := b.heldByOther(c, enc.key, now)
		if err != nil || held {
			return store.Claimed, i, err
		}
	}
	return 0, -1, nil
}

// heldByOther reports whether the claim at key is held by a live record other than owner.
func (b buckets) heldByOther(key, owner []byte, now time.Time) (bool, error) {
	holder := b.claims.Get(key)
	if holder == nil || bytes.Equal(holder, owner) {
		return false, nil
	}
	_, live, err := liveRecord(b.records, holder, now)
	return live, err
}

func (b buckets) checkVersioned(key []byte, ifVersion int64, now time.Time) (store.Reason, error) {
	st, live, err := liveRecord(b.records, key, now)
	switch {
	case err != nil:
		return 0, err
	case !live:
		return store.Missing, nil
	case ifVersion != 0 && st.Version != ifVersion:
		return store.Stale, nil
	}
	return 0, nil
}

func (b buckets) checkCount(c *store.Count, key []byte) store.Reason {
	n := counterValue(b.counters.Get(key))
	switch {
	case c.Delta > 0 && n >= c.Limit:
		return store.AtLimit
	case c.Delta < 0 && n <= 0:
		return store.AtZero
	}
	return 0
}

// apply performs tx, whose preconditions check has found to hold.
func (b buckets) apply(tx store.Tx, enc []encoded, now time.Time) error {
	for i, a := range tx {
		var err error
		switch {
		case a.Put != nil:
			err = b.put(enc[i])
		case a.Update != nil:
			err = b.update(a.Update, enc[i].key, now)
		case a.Delete != nil:
			err = b.remove(enc[i].ref, enc[i].key)
		default:
			key := enc[i].key
			n := counterValue(b.counters.Get(key)) + a.Count.Delta
			err = b.counters.Put(key, binary.BigEndian.AppendUint64(nil, uint64(n)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// put writes a record over whatever is at its key (nothing, an expired record, or the version
// it replaces), releasing the claims of what it replaces before taking its own.
func (b buckets) put(enc encoded) error {
	if err := b.remove(enc.ref, enc.key); err != nil {
		return err
	}
	for _, c := range enc.claims {
		if err := b.claims.Put(c, enc.key); err != nil {
			return err
		}
	}
	if enc.entry != nil {
		if err := b.index(enc.ref, enc.stored, enc.entry); err != nil {
			return err
		}
	}
	return b.records.Put(enc.key, enc.value)
}

func (b buckets) update(u *store.Update, key []byte, now time.Time) error {
	st, err := unmarshal(b.records.Get(key))
	if err != nil {
		return err
	}
	rec := st.record(u.Ref)
	rec.Attrs = merge(rec.Attrs, u.Set)
	if u.Sealed != nil {
		rec.Sealed = u.Sealed
	}
	at := u.At
	if at.IsZero() {
		at = now
	}
	next := toStored(rec, st.Version+1, at)
	v, err := next.marshal()
	if err != nil {
		return err
	}
	if store.IndexedRef(u.Ref) {
		entry, err := entryOf(next)
		if err != nil {
			return err
		}
		// An update keeps the creation time and the expiry, so only the entry changes, and the
		// attribute entry when the update changed the value.
		if err := b.created.Put(keysOf(u.Ref, next).created, entry); err != nil {
			return err
		}
		if err := b.moveAttr(u.Ref, st, next); err != nil {
			return err
		}
	}
	return b.records.Put(key, v)
}

// merge returns attrs with set laid over it; a nil value in set removes the attribute.
func merge(attrs, set store.Attrs) store.Attrs {
	out := maps.Clone(attrs)
	if out == nil {
		out = store.Attrs{}
	}
	for k, v := range set {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// remove deletes the record at key (ref's), if any, the claims it holds and its index entries.
func (b buckets) remove(ref store.Ref, key []byte) error {
	v := b.records.Get(key)
	if v == nil {
		return nil
	}
	st, err := unmarshal(v)
	if err != nil {
		return err
	}
	for _, c := range st.Claims {
		ck := physical(c)
		if bytes.Equal(b.claims.Get(ck), key) {
			if err := b.claims.Delete(ck); err != nil {
				return err
			}
		}
	}
	if store.IndexedRef(ref) {
		if err := b.unindex(ref, st); err != nil {
			return err
		}
	}
	return b.records.Delete(key)
}

func counterValue(v []byte) int64 {
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}
