package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/shared/store"
)

// indexedKind is the suite's indexed kind; kind (above) stays unindexed.
const indexedKind = "listed"

var _ = store.DeclareIndex(service, indexedKind)

func iref(tenant, id string) store.Ref {
	return store.Ref{Service: service, Tenant: tenant, Kind: indexedKind, ID: id}
}

// listed is an indexed record created at base+ms, with a claim, so entries must drop it.
func listed(tenant, id string, ms int) store.Record {
	return store.Record{
		Ref:       iref(tenant, id),
		Attrs:     store.Attrs{"Name": "n-" + id, "Tags": []string{"a", id}, "Size": int64(ms)},
		Sealed:    []byte("sealed:" + id),
		Claims:    []store.Ref{{Service: service, Tenant: tenant, Kind: "listed-name", ID: "n-" + id}},
		CreatedAt: base.Add(time.Duration(ms) * time.Millisecond),
	}
}

func iquery(tenant string, o store.Order, limit int) store.Query {
	return store.Query{Service: service, Tenant: tenant, Kind: indexedKind, Order: o, Limit: limit}
}

func wantTotal(t *testing.T, s Store, tenant string, want int64) {
	t.Helper()
	got, err := s.Count(context.Background(), iquery(tenant, store.ByID, 0))
	if err != nil || got != want {
		t.Errorf("Count(%s): got %d, %v; want %d", tenant, got, err, want)
	}
}

// creationOrder is what Oldest must return for recs.
func creationOrder(recs []store.Record) []string {
	recs = slices.Clone(recs)
	slices.SortFunc(recs, func(a, b store.Record) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}

// seedListed writes n records of tenant, several per millisecond (ties go by id), in an order
// that is neither their ids' nor their creation's, over several transactions.
func seedListed(t *testing.T, s Store, tenant string, n int) []store.Record {
	t.Helper()
	recs := make([]store.Record, n)
	for i := range recs {
		recs[i] = listed(tenant, fmt.Sprintf("id-%03d", (i*7)%n), (i*5)%(n/3+1))
	}
	for lo := 0; lo < n; lo += 10 {
		var tx store.Tx
		for _, r := range recs[lo:min(lo+10, n)] {
			tx = append(tx, put(r))
		}
		mustApply(t, s, tx...)
	}
	return recs
}

func testIndexOrder(t *testing.T, s Store) {
	recs := seedListed(t, s, tenant, 31)
	seedListed(t, s, "tenant-0", 9) // a neighbour: never listed or counted with tenant-1
	createAll(t, s, "id-000", "id-001")
	want := creationOrder(recs)
	wantIDs(t, listAll(t, s, iquery(tenant, store.Oldest, 7)), want)
	reversed := slices.Clone(want)
	slices.Reverse(reversed)
	wantIDs(t, listAll(t, s, iquery(tenant, store.Newest, 4)), reversed)
	wantIDs(t, listAll(t, s, iquery(tenant, store.ByID, 5)), slices.Sorted(slices.Values(want)))
	wantTotal(t, s, tenant, 31)
	wantTotal(t, s, "tenant-0", 9)
	wantTotal(t, s, "tenant-9", 0)

	for _, off := range []int{0, 1, 10, 30, 31, 1000} {
		q := iquery(tenant, store.Newest, 5)
		q.Offset = off
		page, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatalf("offset %d: %v", off, err)
		}
		end := min(off+5, len(reversed))
		wantIDs(t, ids(page.Records), reversed[min(off, len(reversed)):end])
		if (page.Next != "") != (end < len(reversed)) {
			t.Errorf("offset %d: next %q, want one only before the end", off, page.Next)
		}
	}
}

func ids(recs []store.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// testIndexEntries: entries are the records without Sealed and Claims, as they are now.
func testIndexEntries(t *testing.T, s Store) {
	recs := seedListed(t, s, tenant, 12)
	mustApply(t, s, store.Action{Update: &store.Update{Ref: recs[3].Ref, Set: store.Attrs{"Name": "renamed", "Size": nil}}})
	q := iquery(tenant, store.Oldest, 5)
	q.Entries = true
	var got []store.Record
	for rec, err := range store.All(context.Background(), s, q) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec)
	}
	wantIDs(t, ids(got), creationOrder(recs))
	for _, e := range got {
		full := mustGet(t, s, e.Ref)
		if e.Sealed != nil || e.Claims != nil {
			t.Errorf("entry %s carries its sealed value or claims", e.ID)
		}
		full.Sealed, full.Claims = nil, nil
		if !sameRecord(e, full) || e.Version != full.Version || !e.UpdatedAt.Equal(full.UpdatedAt) {
			t.Errorf("entry %s:\n got %+v\nwant %+v", e.ID, e, full)
		}
	}
	if e := got[slices.Index(ids(got), recs[3].ID)]; e.Attrs.String("Name") != "renamed" || e.Attrs["Size"] != nil {
		t.Errorf("entry after update: %+v", e.Attrs)
	}
}

// testIndexDeletes: a deleted record leaves the index and the count at once, and so does one
// that expired; one that expires later is counted until then.
func testIndexDeletes(t *testing.T, s Store) {
	recs := seedListed(t, s, tenant, 9)
	mustApply(t, s, del(recs[0].Ref, 0), del(recs[4].Ref, 0))
	now := time.Now()
	expired, later, tomorrow := listed(tenant, "x-expired", 1), listed(tenant, "x-later", 2), listed(tenant, "x-tomorrow", 3)
	expired.ExpiresAt, later.ExpiresAt, tomorrow.ExpiresAt = now.Add(-2*time.Second), now.Add(4*time.Second), now.Add(30*time.Hour)
	mustApply(t, s, put(expired), put(later), put(tomorrow))
	wantTotal(t, s, tenant, 9)
	want := creationOrder(append(slices.Delete(slices.Clone(recs), 4, 5)[1:], later, tomorrow))
	wantIDs(t, listAll(t, s, iquery(tenant, store.Oldest, 3)), want)
	time.Sleep(time.Until(now.Add(5 * time.Second))) // later has expired (seconds round up)
	wantTotal(t, s, tenant, 8)
	wantIDs(t, listAll(t, s, iquery(tenant, store.Oldest, 3)), slices.DeleteFunc(want, func(id string) bool { return id == "x-later" }))
	mustApply(t, s, del(tomorrow.Ref, 0))
	wantTotal(t, s, tenant, 7)
	// An expired record's id is free again: creating over it counts once.
	again := listed(tenant, "x-expired", 1)
	mustApply(t, s, put(again))
	wantTotal(t, s, tenant, 8)
}

// testIndexQueries: the index is for declared kinds only, and its cursors are bound to how
// they read.
func testIndexQueries(t *testing.T, s Store) {
	seedListed(t, s, tenant, 6)
	createAll(t, s, "a", "b")
	ctx := context.Background()
	bad := []store.Query{
		{Service: service, Tenant: tenant, Kind: kind, Order: store.Oldest},
		{Service: service, Tenant: tenant, Kind: indexedKind, Order: store.Oldest, Prefix: "id"},
		{Service: service, Tenant: tenant, Kind: indexedKind, Offset: 2},
		{Service: service, Tenant: tenant, Kind: indexedKind, Entries: true},
		{Service: service, Tenant: tenant, Kind: indexedKind, Order: store.Newest, Offset: -1},
	}
	for _, q := range bad {
		if _, err := s.List(ctx, q); err == nil || errors.Is(err, store.ErrBadCursor) {
			t.Errorf("List(%+v): got %v, want an internal error", q, err)
		}
	}
	if _, err := s.Count(ctx, store.Query{Service: service, Tenant: tenant, Kind: kind}); err == nil {
		t.Error("Count of an unindexed kind: got nil error")
	}
	first, err := s.List(ctx, iquery(tenant, store.Oldest, 2))
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %v, next %q", err, first.Next)
	}
	for _, q := range []store.Query{iquery(tenant, store.Newest, 2), iquery(tenant, store.ByID, 2), iquery("tenant-0", store.Oldest, 2),
		{Service: service, Tenant: tenant, Kind: indexedKind, Order: store.Oldest, Entries: true, Limit: 2}} {
		q.Cursor = first.Next
		if _, err := s.List(ctx, q); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor of Oldest used with %+v: got %v, want ErrBadCursor", q, err)
		}
	}
}

// testRaceIndexCount: creates and deletes racing in one tenant leave the count equal to what
// the index lists, and each create and delete moved it once.
func testRaceIndexCount(t *testing.T, s Store) {
	old := seedListed(t, s, tenant, 12)
	errs := race(24, func(i int) error {
		ctx := context.Background()
		if i < 12 {
			return s.Apply(ctx, store.Tx{put(listed(tenant, fmt.Sprintf("new-%02d", i), 1000+i))})
		}
		return s.Apply(ctx, store.Tx{del(old[i-12].Ref, 0)})
	})
	for _, err := range errs {
		if err != nil {
			t.Fatalf("racing create or delete: %v", err)
		}
	}
	wantTotal(t, s, tenant, 12)
	if got := listAll(t, s, iquery(tenant, store.Oldest, 5)); len(got) != 12 || !strings.HasPrefix(got[0], "new-") {
		t.Errorf("after the race the index lists %v, want the 12 new records", got)
	}
}

// testIndexPagingStable: walking Oldest pages while records are created sees every record that
// existed at the start exactly once and in order (new ones sort after it).
func testIndexPagingStable(t *testing.T, s Store) {
	want := creationOrder(seedListed(t, s, tenant, 30))
	done := make(chan error, 1)
	go func() {
		for i := range 20 {
			if err := s.Apply(context.Background(), store.Tx{put(listed(tenant, fmt.Sprintf("late-%02d", i), 5000+i))}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	got, err := listIDs(s, iquery(tenant, store.Oldest, 4))
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(got) < len(want) || strings.Join(got[:len(want)], ",") != strings.Join(want, ",") {
		t.Errorf("pages while creating:\n got %v\nwant %v then new records", got, want)
	}
	for _, id := range got[len(want):] {
		if !strings.HasPrefix(id, "late-") {
			t.Errorf("listed %s after the existing records", id)
		}
	}
}

// testIndexGroups: ids with a '/' are indexed and counted by their group.
func testIndexGroups(t *testing.T, s Store) {
	for i, id := range []string{"r1/c", "r2/a", "r1/a", "plain", "r1/b", "r12/x"} {
		mustApply(t, s, put(listed(tenant, id, 10-i)))
	}
	grouped := func(prefix string, o store.Order) store.Query {
		q := iquery(tenant, o, 2)
		q.Prefix = prefix
		return q
	}
	wantIDs(t, listAll(t, s, grouped("r1/", store.Oldest)), []string{"r1/b", "r1/a", "r1/c"})
	wantIDs(t, listAll(t, s, grouped("r1/", store.Newest)), []string{"r1/c", "r1/a", "r1/b"})
	wantIDs(t, listAll(t, s, grouped("", store.Oldest)), []string{"plain"})
	for prefix, want := range map[string]int64{"r1/": 3, "r2/": 1, "r12/": 1, "": 1, "r3/": 0} {
		if got, err := s.Count(context.Background(), grouped(prefix, store.ByID)); err != nil || got != want {
			t.Errorf("Count(group %q): got %d, %v; want %d", prefix, got, err, want)
		}
	}
	if _, err := s.List(context.Background(), grouped("r1", store.Oldest)); err == nil {
		t.Error("a prefix that is not a group: got nil error")
	}
}
