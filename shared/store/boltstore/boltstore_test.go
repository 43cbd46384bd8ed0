package boltstore

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
	"keyport/shared/store/storetest"
)

func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "data", "keyport.db"))
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return open(t) })
}

func TestOpenPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "keyport.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	defer s.Close()
	for _, tt := range []struct {
		path string
		want os.FileMode
	}{
		{dir, 0o700},
		{path, 0o600},
	} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			fi, err := os.Stat(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got&^tt.want != 0 {
				t.Errorf("mode of %s: got %v, want at most %v", tt.path, got, tt.want)
			}
		})
	}
}

// TestReopen checks that records, claims, counters and the cursor key survive Close and Open.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keyport.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	c := store.Ref{Service: "svc", Tenant: "a", Kind: "counter", ID: "keys"}
	name := store.Ref{Service: "svc", Tenant: "a", Kind: "name", ID: "n"}
	rec := store.Record{Ref: store.Ref{Service: "svc", Tenant: "a", Kind: "key", ID: "1"}, Sealed: []byte("blob"), Claims: []store.Ref{name}}
	second := rec
	second.ID = "2"
	second.Claims = nil
	if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}, {Put: &store.Put{Record: second}}, {Count: &store.Count{Ref: c, Delta: 1, Limit: 2}}}); err != nil {
		t.Fatalf("Apply: got error %v, want nil", err)
	}
	q := store.Query{Service: "svc", Tenant: "a", Kind: "key", Limit: 1}
	page, err := s.List(ctx, q)
	if err != nil || page.Next == "" {
		t.Fatalf("List: got %+v, %v; want a page and a cursor", page, err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: got error %v, want nil", err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: got error %v, want nil", err)
	}
	defer s.Close()
	got, err := s.Get(ctx, rec.Ref)
	if err != nil || string(got.Sealed) != "blob" || got.Version != 1 {
		t.Errorf("Get after reopen: got %+v, %v; want the record created before Close", got, err)
	}
	if n, err := s.CounterValue(ctx, c); err != nil || n != 1 {
		t.Errorf("CounterValue after reopen: got %d, %v; want 1", n, err)
	}
	if n, err := s.CountRecords(ctx); err != nil || n != 2 {
		t.Errorf("CountRecords after reopen: got %d, %v; want 2", n, err)
	}
	err = s.Apply(ctx, store.Tx{{Put: &store.Put{Record: store.Record{Ref: store.Ref{Service: "svc", Tenant: "a", Kind: "key", ID: "3"}, Claims: []store.Ref{name}}}}})
	if c := store.ConflictOf(err); c == nil || c.Reason != store.Claimed {
		t.Errorf("claim after reopen: got %v, want Claimed", err)
	}
	q.Cursor = page.Next
	if p, err := s.List(ctx, q); err != nil || len(p.Records) != 1 || p.Records[0].ID != "2" {
		t.Errorf("List with a cursor from before the reopen: got %+v, %v; want record 2", p, err)
	}
}

// TestKeyLayout pins the physical key: no two refs share a key however their fields are split,
// and every key of a collection is its prefix followed by the raw id, so keys sort by id.
func TestKeyLayout(t *testing.T) {
	a := physical(store.Ref{Service: "s", Tenant: "ab", Kind: "k", ID: "c"})
	b := physical(store.Ref{Service: "s", Tenant: "a", Kind: "bk", ID: "c"})
	if string(a) == string(b) {
		t.Errorf("two refs share the key %q", a)
	}
	r := store.Ref{Service: "svc", Tenant: "t\x00#", Kind: "kind"}
	coll := collection(r.Service, r.Tenant, r.Kind)
	for _, id := range []string{"", "a", "a\x00", "b", "id/\xff"} {
		r.ID = id
		if k := physical(r); !bytes.HasPrefix(k, coll) || string(k[len(coll):]) != id {
			t.Errorf("key %q: want the collection prefix %q, then the id %q", k, coll, id)
		}
	}
}

// A file whose records an earlier build wrote (JSON, no format mark) is refused at Open with a
// message that says what to do, not at the first read of a record.
func TestOpenRefusesEarlierRecordForm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyport.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(recordsBucket)
		if err != nil {
			return err
		}
		return b.Put(physical(store.Ref{Service: "s", Kind: "k", ID: "1"}), []byte(`{"v":1,"c":0,"u":0}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if s, err := Open(path); err == nil || !strings.Contains(err.Error(), "move the file aside") {
		if s != nil {
			s.Close()
		}
		t.Fatalf("Open of a file of JSON records: got %v, want a refusal saying to move it aside", err)
	}
}

// Reset empties the file (records, claims, counters) and the store stays usable: the same
// create succeeds again, and a cursor issued before still opens.
func TestReset(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	name := store.Ref{Service: "svc", Tenant: "a", Kind: "name", ID: "n"}
	c := store.Ref{Service: "svc", Tenant: "a", Kind: "counter", ID: "keys"}
	tx := store.Tx{
		{Put: &store.Put{Record: store.Record{Ref: store.Ref{Service: "svc", Tenant: "a", Kind: "key", ID: "1"}, Claims: []store.Ref{name}}}},
		{Count: &store.Count{Ref: c, Delta: 1, Limit: 1}},
	}
	if err := s.Apply(ctx, tx); err != nil {
		t.Fatalf("Apply: got error %v, want nil", err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: got error %v, want nil", err)
	}
	if n, err := s.CountRecords(ctx); err != nil || n != 0 {
		t.Errorf("CountRecords after Reset: got %d, %v; want 0", n, err)
	}
	if n, _ := s.CounterValue(ctx, c); n != 0 {
		t.Errorf("CounterValue after Reset: got %d, want 0", n)
	}
	if err := s.Apply(ctx, tx); err != nil {
		t.Errorf("the same create after Reset: got %v, want nil (claim and counter released)", err)
	}
}

// A backup taken while writes go on opens as a store holding every record committed before it.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	put := func(id string) error {
		return s.Apply(ctx, store.Tx{{Put: &store.Put{Record: store.Record{Ref: store.Ref{Service: "svc", Tenant: "a", Kind: "key", ID: id}, Sealed: []byte("blob-" + id)}}}})
	}
	for i := range 50 {
		if err := put(fmt.Sprint("before-", i)); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			_ = put(fmt.Sprint("during-", i))
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	f.Close()
	<-done
	b, err := Open(path)
	if err != nil {
		t.Fatalf("Open of the backup: %v", err)
	}
	defer b.Close()
	for i := range 50 {
		id := fmt.Sprint("before-", i)
		got, err := b.Get(ctx, store.Ref{Service: "svc", Tenant: "a", Kind: "key", ID: id})
		if err != nil || string(got.Sealed) != "blob-"+id {
			t.Errorf("record %s in the backup: got %q, %v", id, got.Sealed, err)
		}
	}
}

// RewriteSealed replaces every sealed value across several batches, keeping versions, skips
// records without one, and a second pass that changes nothing rewrites nothing.
func TestRewriteSealed(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	const n = 3*rewriteBatch + 7
	for i := range n {
		rec := store.Record{Ref: store.Ref{Service: "svc", Tenant: fmt.Sprint("t", i%3), Kind: "key", ID: fmt.Sprint(i)}}
		if i%5 != 0 {
			rec.Sealed = []byte("old-" + rec.ID)
		}
		if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.RewriteSealed(ctx, func(ref store.Ref, sealed []byte) ([]byte, error) {
		if string(sealed) != "old-"+ref.ID {
			return nil, fmt.Errorf("got sealed %q for %s", sealed, ref)
		}
		return []byte("new-" + ref.ID), nil
	})
	if want := n - (n+4)/5; err != nil || got != want {
		t.Fatalf("RewriteSealed: got %d, %v; want %d, nil", got, err, want)
	}
	for i := range n {
		ref := store.Ref{Service: "svc", Tenant: fmt.Sprint("t", i%3), Kind: "key", ID: fmt.Sprint(i)}
		rec, err := s.Get(ctx, ref)
		want := "new-" + ref.ID
		if i%5 == 0 {
			want = ""
		}
		if err != nil || string(rec.Sealed) != want || rec.Version != 1 {
			t.Errorf("record %s: got %q version %d, %v; want %q version 1", ref, rec.Sealed, rec.Version, err, want)
		}
	}
	if again, err := s.RewriteSealed(ctx, func(store.Ref, []byte) ([]byte, error) { return nil, nil }); err != nil || again != 0 {
		t.Errorf("a pass that changes nothing: got %d, %v; want 0", again, err)
	}
}
