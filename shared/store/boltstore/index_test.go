package boltstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
)

var _ = store.DeclareAttrIndex("svc", "listed", "Name")

// TestOpenBuildsIndexes: a file whose indexes are missing (one from before indexes, or from
// before the attribute index) or were built for other indexed kinds gets them rebuilt from its
// records at Open.
func TestOpenBuildsIndexes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keyport.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var tx store.Tx
	for i := range 5 {
		rec := store.Record{Ref: store.Ref{Service: "svc", Tenant: "a", Kind: "listed", ID: fmt.Sprint(9 - i)}, CreatedAt: base.Add(time.Duration(i) * time.Second),
			Attrs: store.Attrs{"Name": fmt.Sprintf("n-%d", i%2)}}
		if i == 4 {
			rec.ExpiresAt = time.Now().Add(-time.Minute)
		}
		tx = append(tx, store.Action{Put: &store.Put{Record: rec}})
	}
	if err := s.Apply(ctx, tx); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()

	for _, damage := range []func(tx *bolt.Tx) error{
		func(tx *bolt.Tx) error { return tx.DeleteBucket(createdBucket) },                      // a file from before indexes
		func(tx *bolt.Tx) error { return tx.DeleteBucket(attrsBucket) },                        // a file from before the attribute index
		func(tx *bolt.Tx) error { return tx.Bucket(metaBucket).Put(indexedName, []byte("x")) }, // other indexed kinds
		func(tx *bolt.Tx) error { // an attribute index on another attribute: its entries are dropped
			if err := tx.Bucket(metaBucket).Put(indexedName, []byte("y")); err != nil {
				return err
			}
			return tx.Bucket(attrsBucket).Put(attrKey(groupKey(store.Ref{Service: "svc", Tenant: "a", Kind: "listed"}), "n-0", 0, "stale"), nil)
		},
	} {
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(func(tx *bolt.Tx) error {
			if err := tx.DeleteBucket(talliesBucket); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(talliesBucket); err != nil {
				return err
			}
			return damage(tx)
		}); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()

		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		q := store.Query{Service: "svc", Tenant: "a", Kind: "listed", Order: store.Newest}
		page, err := s.List(ctx, q)
		if err != nil || len(page.Records) != 4 || page.Records[0].ID != "6" || page.Records[3].ID != "9" {
			t.Errorf("List after the rebuild: got %+v, %v; want 6, 7, 8, 9", page.Records, err)
		}
		if n, err := s.Count(ctx, q); err != nil || n != 4 {
			t.Errorf("Count after the rebuild: got %d, %v; want 4", n, err)
		}
		q = store.Query{Service: "svc", Tenant: "a", Kind: "listed", Order: store.ByAttr, AttrPrefix: "n-0"}
		page, err = s.List(ctx, q)
		if err != nil || len(page.Records) != 2 || page.Records[0].ID != "9" || page.Records[1].ID != "7" {
			t.Errorf("List by attribute after the rebuild: got %+v, %v; want 9, 7", page.Records, err)
		}
		_ = s.Close()
	}
}
