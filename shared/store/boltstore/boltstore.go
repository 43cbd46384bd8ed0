// Package boltstore is the embedded store.Store driver used by the local server: one bbolt file
// on disk, no network, durable across restarts.
//
// Layout: records, claims and counters live in buckets of their own, keyed alike by a ref's
// physical key (Service, Tenant and Kind length-prefixed, then the raw ID), so the records of
// one (service, tenant, kind) are contiguous and sorted by ID: a List is a cursor seek to the
// collection and prefix, never a scan of the file. A claim's value is its owner record's
// physical key; a claim is held while that record is live. A counter's value is 8 bytes,
// big-endian. The meta bucket holds the random key that signs paging cursors.
//
// Writes go through one committer (commit.go): concurrent requests share one transaction and
// one fsync (group commit) instead of queueing for a commit each. A group's function may run more
// than once and an error from one rolls its group back, so a refused precondition is not a
// failure: it is reported through the closure, and its function writes nothing and returns nil,
// leaving the other writes in the group unharmed.
package boltstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
)

var (
	recordsBucket  = []byte("records")
	claimsBucket   = []byte("claims")
	countersBucket = []byte("counters")
	metaBucket     = []byte("meta")
	cursorKeyName  = []byte("cursor-key")
	formatName     = []byte("record-format")
	indexedName    = []byte("indexed-kinds")
)

// lockTimeout bounds how long Open waits for another process holding the file's lock, so a
// second server on the same file fails instead of hanging.
const lockTimeout = 2 * time.Second

// Store is a store.Store backed by one bbolt file. It is safe for concurrent use.
type Store struct {
	db        *bolt.DB
	writes    *committer
	now       func() time.Time
	cursorKey []byte
}

var _ store.Store = (*Store)(nil)

// Open opens the store at path, creating the file (mode 0600) and its parent directory
// (mode 0700) when they do not exist yet, and the cursor key on first use.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("boltstore: create directory: %w", err)
	}
	// The freelist is not written on every commit (it is rebuilt by a scan at Open instead):
	// each create then syncs fewer pages, which measured 30% less CPU per create under
	// concurrency (three buckets dirty per transaction), at the price of a scan at start-up.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	var key []byte
	err = db.Update(func(tx *bolt.Tx) error {
		var err error
		key, err = prepare(tx)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: prepare %s: %w", path, err)
	}
	return &Store{db: db, writes: newCommitter(db), now: time.Now, cursorKey: key}, nil
}

// prepare creates the buckets and the cursor key when missing, checks that the file's records
// are in the form this build reads, builds the indexes when the file's were built for other
// indexed kinds (or it lacks one of them: a file from before it), and returns the cursor key.
func prepare(tx *bolt.Tx) ([]byte, error) {
	for _, name := range [][]byte{recordsBucket, claimsBucket, countersBucket, metaBucket} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return nil, err
		}
	}
	meta := tx.Bucket(metaBucket)
	if err := checkFormat(meta, tx.Bucket(recordsBucket)); err != nil {
		return nil, err
	}
	if mark := indexedKindsMark(); missingBucket(tx, indexBuckets) || !bytes.Equal(meta.Get(indexedName), mark) {
		if err := rebuildIndexes(tx); err != nil {
			return nil, fmt.Errorf("rebuild the indexes: %w", err)
		}
		if err := meta.Put(indexedName, mark); err != nil {
			return nil, err
		}
	}
	if k := meta.Get(cursorKeyName); len(k) == cursor.KeySize {
		return append([]byte(nil), k...), nil
	}
	k := make([]byte, cursor.KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, meta.Put(cursorKeyName, k)
}

// missingBucket reports whether any of names is missing from the file (one from before that
// bucket).
func missingBucket(tx *bolt.Tx, names [][]byte) bool {
	for _, name := range names {
		if tx.Bucket(name) == nil {
			return true
		}
	}
	return false
}

// checkFormat refuses, at Open rather than at the first read, a file whose records an earlier
// build wrote in another form (JSON), and marks a file this build starts as its own.
func checkFormat(meta, records *bolt.Bucket) error {
	switch f := meta.Get(formatName); {
	case len(f) == 1 && f[0] == recordFormat:
		return nil
	case f == nil:
		if k, _ := records.Cursor().First(); k != nil {
			return errors.New("its records were written by an earlier keyport in a form this one does not read; move the file aside to start afresh")
		}
		return meta.Put(formatName, []byte{recordFormat})
	default:
		return fmt.Errorf("its records are in form %x, which this keyport does not read", f)
	}
}

// Close releases the file. Calls made after Close fail.
func (s *Store) Close() error {
	s.writes.close()
	return s.db.Close()
}

// Get returns the live record at ref, or store.ErrNotFound when it is missing or expired.
func (s *Store) Get(ctx context.Context, ref store.Ref) (store.Record, error) {
	if err := ctx.Err(); err != nil {
		return store.Record{}, err
	}
	var (
		rec   store.Record
		found bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		st, ok, err := liveRecord(tx.Bucket(recordsBucket), physical(ref), s.now())
		if err != nil || !ok {
			return err
		}
		rec, found = st.record(ref), true
		return nil
	})
	if err != nil {
		return store.Record{}, fmt.Errorf("boltstore: get: %w", err)
	}
	if !found {
		return store.Record{}, store.ErrNotFound
	}
	return rec, nil
}

// liveRecord reads the record at key and reports whether it exists and is live at now.
func liveRecord(records *bolt.Bucket, key []byte, now time.Time) (stored, bool, error) {
	v := records.Get(key)
	if v == nil {
		return stored{}, false, nil
	}
	st, err := unmarshal(v)
	if err != nil {
		return stored{}, false, err
	}
	return st, st.live(now), nil
}
