package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"keyport/shared/store"
	"keyport/shared/store/boltstore"
)

func openBolt(t *testing.T) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "keyport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ref(id string) store.Ref { return store.Ref{Service: "svc", Tenant: "t1", Kind: "k", ID: id} }

// TestRestrictRefusesUndeclaredCalls: every call outside the Need is refused with *Undeclared
// naming it, and nothing reaches the store; declared calls go through.
var _ = store.DeclareIndex("svc", "k")

func TestRestrictRefusesUndeclaredCalls(t *testing.T) {
	ctx := context.Background()
	s := openBolt(t)
	if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: store.Record{Ref: ref("a")}}}}); err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		need store.Need
		call func(store.Store) error
	}{
		{store.NeedGet, func(r store.Store) error { _, err := r.Get(ctx, ref("a")); return err }},
		{store.NeedList, func(r store.Store) error {
			_, err := r.List(ctx, store.Query{Service: "svc", Tenant: "t1", Kind: "k"})
			return err
		}},
		{store.NeedList, func(r store.Store) error { // a Count is a read of the list's index
			_, err := r.Count(ctx, store.Query{Service: "svc", Tenant: "t1", Kind: "k"})
			return err
		}},
		{store.NeedPut, func(r store.Store) error {
			return r.Apply(ctx, store.Tx{{Put: &store.Put{Record: store.Record{Ref: ref("b")}}}})
		}},
		{store.NeedReplace, func(r store.Store) error {
			return r.Apply(ctx, store.Tx{{Put: &store.Put{Record: store.Record{Ref: ref("a")}, IfVersion: 1}}})
		}},
		{store.NeedUpdate, func(r store.Store) error {
			return r.Apply(ctx, store.Tx{{Update: &store.Update{Ref: ref("a"), Set: store.Attrs{"x": "y"}}}})
		}},
		{store.NeedCount, func(r store.Store) error {
			return r.Apply(ctx, store.Tx{{Count: &store.Count{Ref: ref("n"), Delta: 1, Limit: 5}}})
		}},
		{store.NeedDelete, func(r store.Store) error {
			return r.Apply(ctx, store.Tx{{Delete: &store.Delete{Ref: ref("a")}}})
		}},
	}
	for _, c := range calls {
		t.Run(c.need.String(), func(t *testing.T) {
			all := store.Need(1<<7 - 1)
			var undeclared *store.Undeclared
			err := c.call(store.Restrict(s, all&^c.need))
			if !errors.As(err, &undeclared) || undeclared.Call != c.need {
				t.Fatalf("without %s declared: got %v, want *Undeclared{%s}", c.need, err, c.need)
			}
			if err := c.call(store.Restrict(s, c.need)); err != nil {
				t.Fatalf("with %s declared: got %v, want success", c.need, err)
			}
		})
	}
}

// TestRestrictRefusesWholeTx: one undeclared action refuses the whole transaction, so the
// declared actions before it are not written either.
func TestRestrictRefusesWholeTx(t *testing.T) {
	ctx := context.Background()
	s := openBolt(t)
	r := store.Restrict(s, store.NeedPut|store.NeedGet)
	err := r.Apply(ctx, store.Tx{
		{Put: &store.Put{Record: store.Record{Ref: ref("a")}}},
		{Count: &store.Count{Ref: ref("n"), Delta: 1, Limit: 5}},
	})
	var undeclared *store.Undeclared
	if !errors.As(err, &undeclared) || undeclared.Call != store.NeedCount {
		t.Fatalf("got %v, want *Undeclared{Count}", err)
	}
	if _, err := r.Get(ctx, ref("a")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the put before the refused count: got %v, want ErrNotFound", err)
	}
}

// clientFault stands for an error type a driver could wrap that means something to a caller.
type clientFault struct{}

func (clientFault) Error() string { return "looks like the client's fault" }

func TestKinded(t *testing.T) {
	conflict := &store.Conflict{Action: 0, Claim: -1, Reason: store.Exists}
	for _, err := range []error{nil, store.ErrNotFound, store.ErrBadCursor, conflict,
		fmt.Errorf("driver: %w", store.ErrNotFound)} {
		if got := store.Kinded(err); got != err {
			t.Errorf("Kinded(%v) = %v, want it unchanged", err, got)
		}
	}
	wrapped := fmt.Errorf("driver: %w", clientFault{})
	got := store.Kinded(wrapped)
	var d *store.DriverError
	if !errors.As(got, &d) || errors.As(got, new(clientFault)) {
		t.Fatalf("Kinded(%v) = %#v, want a *DriverError hiding the wrapped error", wrapped, got)
	}
	if got.Error() != wrapped.Error() {
		t.Errorf("text: got %q, want %q", got.Error(), wrapped.Error())
	}
	late := store.Kinded(fmt.Errorf("driver: %w", context.DeadlineExceeded))
	if !errors.Is(late, context.DeadlineExceeded) {
		t.Errorf("a deadline: got %v, want it still a context.DeadlineExceeded", late)
	}
}

// TestAll: every record of every page, in order, from a small store page size upward; and an
// early stop reads nothing more.
func TestAll(t *testing.T) {
	ctx := context.Background()
	s := openBolt(t)
	const n = store.MaxPageLimit + 7
	var tx store.Tx
	for i := range n {
		tx = append(tx, store.Action{Put: &store.Put{Record: store.Record{Ref: ref(fmt.Sprintf("%05d", i))}}})
		if len(tx) == 100 {
			if err := s.Apply(ctx, tx); err != nil {
				t.Fatal(err)
			}
			tx = nil
		}
	}
	if err := s.Apply(ctx, tx); err != nil {
		t.Fatal(err)
	}
	q := store.Query{Service: "svc", Tenant: "t1", Kind: "k"}
	i := 0
	for rec, err := range store.All(ctx, s, q) {
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("%05d", i); rec.ID != want {
			t.Fatalf("record %d: got %q, want %q", i, rec.ID, want)
		}
		i++
	}
	if i != n {
		t.Fatalf("got %d records, want %d", i, n)
	}
	counting := &countingLister{l: s}
	for range store.All(ctx, counting, q) {
		break
	}
	if counting.pages != 1 {
		t.Errorf("an early stop read %d pages, want 1", counting.pages)
	}
	failing := store.All(ctx, store.Restrict(s, 0), q)
	for _, err := range failing {
		if err == nil {
			t.Fatal("a failing List yielded a record")
		}
	}
}

type countingLister struct {
	l     store.Lister
	pages int
}

func (c *countingLister) List(ctx context.Context, q store.Query) (store.Page, error) {
	c.pages++
	return c.l.List(ctx, q)
}

func (c *countingLister) Count(ctx context.Context, q store.Query) (int64, error) {
	return c.l.Count(ctx, q)
}
