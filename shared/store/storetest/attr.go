package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/shared/store"
)

// The suite's indexed kind has an attribute index on its "Name" (listed gives every record
// "n-<id>"), so every index case above also keeps this index in step.
var _ = store.DeclareAttrIndex(service, indexedKind, "Name")

// named is listed with Name value (nil: no Name at all).
func named(tenant, id string, ms int, value any) store.Record {
	r := listed(tenant, id, ms)
	r.Attrs["Name"] = value
	if value == nil {
		delete(r.Attrs, "Name")
	}
	return r
}

func aquery(tenant, prefix string, limit int) store.Query {
	q := iquery(tenant, store.ByAttr, limit)
	q.AttrPrefix = prefix
	return q
}

// listAttr pages q to the end and returns each record's (Name, id), checking the page bounds.
func listAttr(t *testing.T, s Store, q store.Query) [][2]string {
	t.Helper()
	var got [][2]string
	for rec, err := range store.All(context.Background(), s, q) {
		if err != nil {
			t.Fatalf("list(%+v): %v", q, err)
		}
		got = append(got, [2]string{rec.Attrs.String("Name"), rec.ID})
	}
	return got
}

// wantMatches checks that got is exactly the records of want (id → Name) that q selects (whose
// Name starts with q.AttrPrefix, or equals it), each once, in ascending Name order (any order
// among equal names).
func wantMatches(t *testing.T, got [][2]string, want map[string]string, q store.Query) {
	t.Helper()
	prefix := q.AttrPrefix
	var expect [][2]string
	for id, name := range want {
		if strings.HasPrefix(name, prefix) && (!q.AttrExact || name == prefix) {
			expect = append(expect, [2]string{name, id})
		}
	}
	byValueThenID := func(a, b [2]string) int { return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1])) }
	slices.SortFunc(expect, byValueThenID)
	if !slices.IsSortedFunc(got, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) }) {
		t.Errorf("prefix %q (exact %v): not in ascending value order: %q", prefix, q.AttrExact, got)
	}
	sorted := slices.Clone(got)
	slices.SortFunc(sorted, byValueThenID)
	if !slices.Equal(sorted, expect) {
		t.Errorf("prefix %q (exact %v):\n got %q\nwant %q", prefix, q.AttrExact, got, expect)
	}
}

// testAttrIndex: the attribute index finds exactly the records whose value starts with the
// prefix, in value order, over pages of every size, with values that share prefixes, repeat,
// or hold the bytes index keys are built from; records without a string value, of other
// tenants and of other groups are never found.
func testAttrIndex(t *testing.T, s Store) {
	values := []string{"alpha", "alp", "alpha", "al#pha", "al pha", "al\x00pha", "al\x00", "beta", "ALPHA", "alpha-2", "", "é-accent"}
	want := map[string]string{}
	var tx store.Tx
	for i, v := range values {
		id := fmt.Sprintf("a-%02d", i)
		tx = append(tx, put(named(tenant, id, 100-i, v)))
		want[id] = v
	}
	tx = append(tx, put(named(tenant, "no-name", 1, nil)), put(named(tenant, "not-string", 2, int64(7))))
	mustApply(t, s, tx...)
	mustApply(t, s, put(named("tenant-0", "a-00", 1, "alpha")), put(named(tenant, "g1/a-00", 1, "alpha")))

	for _, prefix := range []string{"", "al", "alpha", "al\x00", "al#", "ALPHA", "é", "gamma", "alpha-2x", "alp", "al\x00pha"} {
		for _, limit := range []int{1, 3, 100} {
			q := aquery(tenant, prefix, limit)
			wantMatches(t, listAttr(t, s, q), want, q)
			q.AttrExact = true // the value itself: "alpha" twice, not "alpha-2"
			wantMatches(t, listAttr(t, s, q), want, q)
		}
	}
	grouped := aquery(tenant, "alpha", 2)
	grouped.Prefix = "g1/"
	if got := listAttr(t, s, grouped); len(got) != 1 || got[0][1] != "g1/a-00" {
		t.Errorf("group g1/: got %q, want only g1/a-00", got)
	}
	q := aquery(tenant, "alp", 5)
	q.Entries = true
	page, err := s.List(context.Background(), q)
	if err != nil || len(page.Records) == 0 {
		t.Fatalf("entries: %v, %d records", err, len(page.Records))
	}
	for _, e := range page.Records {
		if e.Sealed != nil || e.Claims != nil {
			t.Errorf("entry %s carries its sealed value or claims", e.ID)
		}
	}
	full, err := s.List(context.Background(), aquery(tenant, "alp", 5))
	if err != nil || len(full.Records) == 0 || full.Records[0].Sealed == nil {
		t.Errorf("records: %v, want full records with their sealed values", err)
	}
}

// testAttrIndexWrites: updates, replaces, deletes and expiry move a record's entry at once.
func testAttrIndexWrites(t *testing.T, s Store) {
	mustApply(t, s, put(named(tenant, "u", 1, "old-name")), put(named(tenant, "r", 2, "old-name")),
		put(named(tenant, "d", 3, "old-name")), put(named(tenant, "n", 4, "old-name")), put(named(tenant, "x", 5, "old-name")))
	want := map[string]string{"u": "old-name", "r": "old-name", "d": "old-name", "n": "old-name", "x": "old-name"}
	check := func(step string) {
		t.Helper()
		for _, prefix := range []string{"", "old", "new"} {
			q := aquery(tenant, prefix, 2)
			wantMatches(t, listAttr(t, s, q), want, q)
		}
		exact := aquery(tenant, "old-name", 2)
		exact.AttrExact = true
		wantMatches(t, listAttr(t, s, exact), want, exact)
		if t.Failed() {
			t.Fatalf("after %s", step)
		}
	}
	check("creates")

	mustApply(t, s, store.Action{Update: &store.Update{Ref: iref(tenant, "u"), Set: store.Attrs{"Name": "new-u"}}})
	want["u"] = "new-u"
	check("an update of the value")

	mustApply(t, s, store.Action{Update: &store.Update{Ref: iref(tenant, "n"), Set: store.Attrs{"Name": nil}}})
	delete(want, "n")
	check("an update removing the value")

	mustApply(t, s, store.Action{Update: &store.Update{Ref: iref(tenant, "x"), Set: store.Attrs{"Name": int64(3)}}})
	delete(want, "x")
	check("an update to a value that is not a string")

	mustApply(t, s, store.Action{Update: &store.Update{Ref: iref(tenant, "x"), Set: store.Attrs{"Name": "new-x", "Size": int64(1)}}})
	want["x"] = "new-x"
	check("an update back to a string")

	replaced := named(tenant, "r", 2, "new-r")
	mustApply(t, s, store.Action{Put: &store.Put{Record: replaced, IfVersion: 1}})
	want["r"] = "new-r"
	check("a replace")

	mustApply(t, s, del(iref(tenant, "d"), 0))
	delete(want, "d")
	check("a delete")

	soon := named(tenant, "e", 6, "old-soon")
	soon.ExpiresAt = time.Now().Add(2 * time.Second)
	mustApply(t, s, put(soon))
	want["e"] = "old-soon"
	check("a create that expires")
	time.Sleep(time.Until(soon.ExpiresAt.Add(time.Second))) // DynamoDB keeps expiry in whole seconds
	delete(want, "e")
	check("its expiry")

	// The failed half of a transaction moves nothing.
	err := s.Apply(context.Background(), store.Tx{
		{Update: &store.Update{Ref: iref(tenant, "u"), Set: store.Attrs{"Name": "lost"}}},
		{Update: &store.Update{Ref: iref(tenant, "missing"), Set: store.Attrs{"Name": "lost"}}},
	})
	if store.ConflictOf(err) == nil {
		t.Fatalf("a transaction with a missing record: got %v, want a conflict", err)
	}
	check("a refused transaction")
}

// testAttrIndexQueries: the attribute index is for kinds that declare it, takes no offset, and
// its cursors are bound to the prefix, the tenant and how they read.
func testAttrIndexQueries(t *testing.T, s Store) {
	var tx store.Tx
	for i := range 6 {
		tx = append(tx, put(named(tenant, fmt.Sprintf("q-%d", i), i, "same")))
	}
	mustApply(t, s, tx...)
	ctx := context.Background()
	offset := aquery(tenant, "s", 2)
	offset.Offset = 1
	for _, q := range []store.Query{
		{Service: service, Tenant: tenant, Kind: kind, Order: store.ByAttr},
		{Service: service, Tenant: tenant, Kind: indexedKind, Order: store.ByAttr, Prefix: "q"},
		{Service: service, Tenant: tenant, Kind: indexedKind, Order: store.Oldest, AttrPrefix: "s"},
		{Service: service, Tenant: tenant, Kind: indexedKind, Order: store.Oldest, AttrExact: true},
		offset,
	} {
		if _, err := s.List(ctx, q); err == nil || errors.Is(err, store.ErrBadCursor) {
			t.Errorf("List(%+v): got %v, want an internal error", q, err)
		}
	}
	first, err := s.List(ctx, aquery(tenant, "s", 2))
	if err != nil || first.Next == "" || len(first.Records) != 2 {
		t.Fatalf("first page: %v, %d records, next %q", err, len(first.Records), first.Next)
	}
	entries, exact := aquery(tenant, "s", 2), aquery(tenant, "s", 2)
	entries.Entries, exact.AttrExact = true, true
	for _, q := range []store.Query{aquery(tenant, "sa", 2), aquery("tenant-0", "s", 2), entries, exact, iquery(tenant, store.Oldest, 2)} {
		q.Cursor = first.Next
		if _, err := s.List(ctx, q); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor of prefix %q used with %+v: got %v, want ErrBadCursor", "s", q, err)
		}
	}
	// Equal values page in a stable order: six records, three pages, each once.
	got := listAttr(t, s, aquery(tenant, "same", 2))
	seen := map[string]bool{}
	for _, g := range got {
		seen[g[1]] = true
	}
	if len(got) != 6 || len(seen) != 6 {
		t.Errorf("six records of one value over pages of 2: got %q", got)
	}
}
