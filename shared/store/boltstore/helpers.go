package boltstore

import (
	"context"
	"fmt"

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
