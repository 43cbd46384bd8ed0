package boltstore

import (
	"context"
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
		for _, name := range [][]byte{recordsBucket, claimsBucket, countersBucket} {
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
