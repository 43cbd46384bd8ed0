package memstore

import (
	"context"
	"testing"
	"time"

	"keyport/shared/store"
	"keyport/shared/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return New() })
}

// A record handed to Apply, or returned by Get, shares nothing with the store: changing it
// afterwards changes nothing stored.
func TestCopies(t *testing.T) {
	ctx := context.Background()
	s := New()
	ref := store.Ref{Service: "svc", Tenant: "t", Kind: "k", ID: "1"}
	rec := store.Record{Ref: ref, Attrs: store.Attrs{"L": []string{"a"}}, Sealed: []byte("blob")}
	if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}}); err != nil {
		t.Fatal(err)
	}
	rec.Sealed[0], rec.Attrs["L"].([]string)[0] = 'X', "X"
	got, err := s.Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	got.Sealed[1], got.Attrs["L"].([]string)[0] = 'Y', "Y"
	again, _ := s.Get(ctx, ref)
	if string(again.Sealed) != "blob" || again.Attrs.List("L")[0] != "a" {
		t.Errorf("stored record changed through a caller's copy: got %q %v, want \"blob\" [a]", again.Sealed, again.Attrs.List("L"))
	}
}

// Reset empties the store: records, claims and counters.
func TestReset(t *testing.T) {
	ctx := context.Background()
	s := New()
	ref := store.Ref{Service: "svc", Tenant: "t", Kind: "k", ID: "1"}
	name := store.Ref{Service: "svc", Tenant: "t", Kind: "name", ID: "n"}
	counter := store.Ref{Service: "svc", Tenant: "t", Kind: "counter", ID: "c"}
	tx := store.Tx{{Put: &store.Put{Record: store.Record{Ref: ref, Claims: []store.Ref{name}}}}, {Count: &store.Count{Ref: counter, Delta: 1, Limit: 1}}}
	if err := s.Apply(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountRecords(ctx); n != 0 {
		t.Errorf("CountRecords after Reset: got %d, want 0", n)
	}
	if err := s.Apply(ctx, tx); err != nil {
		t.Errorf("the same create after Reset: got %v, want nil (claim and counter released)", err)
	}
}

// Times read back to the millisecond, in UTC, as from the other drivers; expiry rounds up.
func TestTimesToTheMillisecond(t *testing.T) {
	ctx := context.Background()
	s := New()
	at := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("x", 3600))
	ref := store.Ref{Service: "svc", Tenant: "t", Kind: "k", ID: "1"}
	rec := store.Record{Ref: ref, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}}); err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return at }
	got, err := s.Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	wantCreated := time.Date(2026, 1, 2, 2, 4, 5, 123000000, time.UTC)
	if !got.CreatedAt.Equal(wantCreated) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt: got %v, want %v", got.CreatedAt, wantCreated)
	}
	if want := wantCreated.Add(time.Hour + time.Millisecond); !got.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt: got %v, want %v (rounded up)", got.ExpiresAt, want)
	}
}
