package boltstore

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
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

// TestReopen checks that records and counters survive Close and Open.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keyport.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	c := &store.Counter{Key: "svc/count/a", Limit: 2}
	rec := store.Record{Key: "svc/key/1", Service: "svc", Tenant: "a", Sealed: []byte("blob")}
	if err := s.Create(ctx, store.Write{Records: []store.Record{rec}, Counter: c}); err != nil {
		t.Fatalf("Create: got error %v, want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: got error %v, want nil", err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: got error %v, want nil", err)
	}
	defer s.Close()
	got, err := s.Get(ctx, rec.Key)
	if err != nil || string(got.Sealed) != "blob" || got.Tenant != "a" {
		t.Errorf("Get after reopen: got %+v, %v; want the record created before Close", got, err)
	}
	if n, err := s.CounterValue(ctx, c.Key); err != nil || n != 1 {
		t.Errorf("CounterValue after reopen: got %d, %v; want 1", n, err)
	}
	if n, err := s.Count(ctx); err != nil || n != 1 {
		t.Errorf("Count after reopen: got %d, %v; want 1", n, err)
	}
}
