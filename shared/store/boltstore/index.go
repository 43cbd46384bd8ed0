package boltstore

import (
	"bytes"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
	"keyport/shared/store/internal/tally"
)

// The indexes of indexed kinds (store.IndexedRef), written in the same transaction as their
// record (docs/store.md). Every key starts with the group key: collection(service, tenant,
// kind), then the group (store.Group of the id) as a uvarint length and its bytes.
//
//	created:  group key · created ms (8 bytes, sign bit flipped) · id → the entry: the record
//	          in its stored form without its sealed value and claims
//	expiring: group key · expires ms (8 bytes, sign bit flipped) · id → empty
//	tallies:  group key · expiry day (8 bytes, sign bit flipped; tally.Never last) → 8-byte count
//	attrs:    group key · escaped value · 0x00 0x01 · created ms (8 bytes, sign bit flipped) · id
//	          → empty, for records with a value in their kind's attribute index (attr.go)
var (
	createdBucket  = []byte("index-created")
	expiringBucket = []byte("index-expiring")
	talliesBucket  = []byte("index-tallies")
	attrsBucket    = []byte("index-attrs")

	// indexBuckets are the buckets rebuildIndexes writes from the records.
	indexBuckets = [][]byte{createdBucket, expiringBucket, talliesBucket, attrsBucket}
)

func groupKey(r store.Ref) []byte {
	g := store.Group(r.ID)
	out := collection(r.Service, r.Tenant, r.Kind)
	out = binary.AppendUvarint(out, uint64(len(g)))
	return append(out, g...)
}

func groupKeyOfQuery(q store.Query) []byte {
	return groupKey(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: q.Prefix})
}

// ordered appends n so that the bytes sort as the signed numbers do.
func ordered(out []byte, n int64) []byte {
	return binary.BigEndian.AppendUint64(out, uint64(n)^(1<<63))
}

// indexKeys are the index keys of one record.
type indexKeys struct {
	created, expiring, tally []byte // expiring is nil for a record that does not expire
	attr                     []byte // nil for a record without a value in the attribute index
}

func keysOf(r store.Ref, st stored) indexKeys {
	g := groupKey(r)
	k := indexKeys{created: append(ordered(bytes.Clone(g), st.Created), r.ID...), attr: attrKeyOf(g, r, st)}
	day := tally.Never
	if st.Expires != nil {
		k.expiring = append(ordered(bytes.Clone(g), *st.Expires), r.ID...)
		day = tally.Day(unixMilli(*st.Expires))
	}
	k.tally = ordered(g, day)
	return k
}

// entryOf is the creation index's value for st: st without its sealed value and claims.
func entryOf(st stored) ([]byte, error) {
	st.Sealed, st.Claims = nil, nil
	return st.marshal()
}

// index adds the record st at ref to the indexes.
func (b buckets) index(ref store.Ref, st stored, entry []byte) error {
	k := keysOf(ref, st)
	if err := b.created.Put(k.created, entry); err != nil {
		return err
	}
	if k.expiring != nil {
		if err := b.expiring.Put(k.expiring, nil); err != nil {
			return err
		}
	}
	if k.attr != nil {
		if err := b.attrs.Put(k.attr, nil); err != nil {
			return err
		}
	}
	return b.tally(k.tally, +1)
}

// unindex takes the record st at ref out of the indexes.
func (b buckets) unindex(ref store.Ref, st stored) error {
	k := keysOf(ref, st)
	if err := b.created.Delete(k.created); err != nil {
		return err
	}
	if k.expiring != nil {
		if err := b.expiring.Delete(k.expiring); err != nil {
			return err
		}
	}
	if k.attr != nil {
		if err := b.attrs.Delete(k.attr); err != nil {
			return err
		}
	}
	return b.tally(k.tally, -1)
}

func (b buckets) tally(key []byte, delta int64) error {
	n := counterValue(b.tallies.Get(key)) + delta
	if n == 0 {
		return b.tallies.Delete(key)
	}
	return b.tallies.Put(key, binary.BigEndian.AppendUint64(nil, uint64(n)))
}

// countLive is the number of live records of the group at g at now (package tally).
func countLive(tx *bolt.Tx, g []byte, nowMilli int64) int64 {
	today, next := tally.Today(unixMilli(nowMilli))
	var n int64
	c := tx.Bucket(talliesBucket).Cursor()
	for k, v := c.Seek(ordered(bytes.Clone(g), today+1)); k != nil && bytes.HasPrefix(k, g); k, v = c.Next() {
		n += counterValue(v)
	}
	// Today's records still live expire in [now+1ms, next midnight).
	from, to := ordered(bytes.Clone(g), nowMilli+1), ordered(bytes.Clone(g), next.UnixMilli())
	e := tx.Bucket(expiringBucket).Cursor()
	for k, _ := e.Seek(from); k != nil && bytes.Compare(k, to) < 0; k, _ = e.Next() {
		n++
	}
	return n
}

// rebuildIndexes drops the indexes and writes them again from the records, at Open when the
// file's indexes were built for another set of indexed kinds (or none: a file from before
// indexes), so that which kinds are indexed is decided by the build that opens the file.
func rebuildIndexes(tx *bolt.Tx) error {
	for _, name := range indexBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	b := bucketsOf(tx)
	return b.records.ForEach(func(k, v []byte) error {
		ref, err := refOf(k)
		if err != nil || !store.IndexedRef(ref) {
			return err
		}
		st, err := unmarshal(v)
		if err != nil {
			return err
		}
		entry, err := entryOf(st)
		if err != nil {
			return err
		}
		return b.index(ref, st, entry)
	})
}

// indexedKindsMark names the indexed kinds the file's indexes were built for.
func indexedKindsMark() []byte {
	kinds := store.IndexedKinds()
	var out []byte
	for _, k := range kinds {
		for _, f := range k {
			out = binary.AppendUvarint(out, uint64(len(f)))
			out = append(out, f...)
		}
	}
	return out
}
