package boltstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
)

// CountRecords returns the number of live records (claims and counters are kept apart and
// never counted). It reads the whole file: it is a helper for tests and operators, to check
// that a refused request wrote nothing, not part of store.Store.
func (s *Store) CountRecords(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	now := s.now()
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(recordsBucket).ForEach(func(_, v []byte) error {
			st, err := unmarshal(v)
			if err == nil && st.live(now) {
				n++
			}
			return err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: count: %w", err)
	}
	return n, nil
}

// CounterValue returns the quota counter at ref, 0 when it was never moved. Like CountRecords
// it is a helper for tests and operators.
func (s *Store) CounterValue(ctx context.Context, ref store.Ref) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = counterValue(tx.Bucket(countersBucket).Get(physical(ref)))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: counter: %w", err)
	}
	return n, nil
}

// Reset removes every record, claim and counter in one transaction, keeping the cursor key and
// the format mark: what `POST /_keyport/reset` does on the local server. Writes that commit
// before it are gone; writes after it start from an empty store.
func (s *Store) Reset(ctx context.Context) error {
	err := s.writes.do(ctx, func(tx *bolt.Tx) error {
		for _, name := range append([][]byte{recordsBucket, claimsBucket, countersBucket}, indexBuckets...) {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("boltstore: reset: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the whole file to w, from one read transaction, while
// writes go on: a file Open accepts, holding every write committed before Backup began and
// none that began after. Sealed values stay sealed (the wrapping key is not in the file).
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("boltstore: backup: %w", err)
	}
	return n, nil
}

// rewriteBatch is how many records one transaction of RewriteSealed rewrites.
const rewriteBatch = 128

// RewriteSealed passes every record's sealed value to fn and stores what fn returns in its
// place, keeping the record's version and times: what a key rotation does, invisible to
// clients. fn returns nil to leave a value as it is. Records are rewritten in transactions of
// rewriteBatch, in key order, so a crash loses at most the batch in flight and a rerun starts
// again from the beginning, skipping what fn leaves alone. It returns how many it rewrote.
func (s *Store) RewriteSealed(ctx context.Context, fn func(ref store.Ref, sealed []byte) ([]byte, error)) (int, error) {
	var after []byte
	total := 0
	for {
		n, last, err := s.rewriteFrom(ctx, after, fn)
		total += n
		if err != nil || last == nil {
			return total, err
		}
		after = last
	}
}

// rewriteFrom rewrites one batch of records after the key after (nil: from the first) and
// returns the last key it read, nil when none was left.
func (s *Store) rewriteFrom(ctx context.Context, after []byte, fn func(store.Ref, []byte) ([]byte, error)) (int, []byte, error) {
	var (
		n    int
		last []byte
	)
	err := s.db.Update(func(tx *bolt.Tx) error {
		records := tx.Bucket(recordsBucket)
		type change struct{ key, value []byte }
		var changes []change
		c := records.Cursor()
		k, v := c.First()
		if after != nil {
			if k, v = c.Seek(after); k != nil && string(k) == string(after) {
				k, v = c.Next()
			}
		}
		for read := 0; k != nil && read < rewriteBatch; k, v = c.Next() {
			read++
			last = append([]byte(nil), k...)
			if err := ctx.Err(); err != nil {
				return err
			}
			value, err := rewriteOne(k, v, fn)
			if err != nil {
				return err
			}
			if value != nil {
				changes = append(changes, change{last, value})
			}
		}
		for _, ch := range changes {
			if err := records.Put(ch.key, ch.value); err != nil {
				return err
			}
		}
		n = len(changes)
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("boltstore: rewrite: %w", err)
	}
	return n, last, nil
}

// rewriteOne returns the stored value of the record at key with fn's sealed value, or nil when
// the record holds none or fn leaves it as it is.
func rewriteOne(key, value []byte, fn func(store.Ref, []byte) ([]byte, error)) ([]byte, error) {
	st, err := unmarshal(value)
	if err != nil {
		return nil, err
	}
	if st.Sealed == nil {
		return nil, nil
	}
	ref, err := refOf(key)
	if err != nil {
		return nil, err
	}
	sealed, err := fn(ref, st.Sealed)
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", ref, err)
	}
	if sealed == nil {
		return nil, nil
	}
	st.Sealed = sealed
	return st.marshal()
}

// refOf reverses physical.
func refOf(key []byte) (store.Ref, error) {
	var f [3]string
	rest := key
	for i := range f {
		l, n := binary.Uvarint(rest)
		if n <= 0 || uint64(len(rest)-n) < l {
			return store.Ref{}, errors.New("boltstore: malformed record key")
		}
		f[i], rest = string(rest[n:n+int(l)]), rest[n+int(l):]
	}
	return store.Ref{Service: f[0], Tenant: f[1], Kind: f[2], ID: string(rest)}, nil
}
