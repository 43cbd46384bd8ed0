package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"keyport/shared/store"
)

func query(prefix string, limit int) store.Query {
	return store.Query{Service: service, Tenant: tenant, Kind: kind, Prefix: prefix, Limit: limit}
}

// listAll pages through q and returns every id, failing on an error or a page over the limit.
func listAll(t *testing.T, s Store, q store.Query) []string {
	t.Helper()
	ids, err := listIDs(s, q)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// listIDs is listAll for goroutines other than the test's.
func listIDs(s Store, q store.Query) ([]string, error) {
	var ids []string
	for pages := 0; pages < 1000; pages++ {
		p, err := s.List(context.Background(), q)
		if err != nil {
			return ids, fmt.Errorf("list(%+v): got error %w, want nil", q, err)
		}
		if q.Limit > 0 && len(p.Records) > q.Limit {
			return ids, fmt.Errorf("list: got a page of %d, want at most %d", len(p.Records), q.Limit)
		}
		for _, r := range p.Records {
			ids = append(ids, r.ID)
		}
		if p.Next == "" {
			return ids, nil
		}
		q.Cursor = p.Next
	}
	return ids, errors.New("list: more than 1000 pages, want an end")
}

func createAll(t *testing.T, s Store, ids ...string) {
	t.Helper()
	tx := make(store.Tx, 0, len(ids))
	for _, id := range ids {
		tx = append(tx, put(record(id)))
	}
	mustApply(t, s, tx...)
}

func numbered(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return ids
}

func wantIDs(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("listed ids:\n got %v\nwant %v", got, want)
	}
}

func testListPages(t *testing.T, s Store) {
	ids := numbered("k", 23)
	// Written out of order and in two transactions: List orders by ID, not by write.
	createAll(t, s, ids[12:]...)
	createAll(t, s, ids[:12]...)
	// Neighbours in other tenants, kinds and services are never listed.
	for _, r := range []store.Ref{{Service: service, Tenant: "tenant-0", Kind: kind, ID: "k000"},
		{Service: service, Tenant: "tenant-10", Kind: kind, ID: "k000"},
		{Service: service, Tenant: tenant, Kind: kind + "s", ID: "k000"},
		{Service: service + "x", Tenant: tenant, Kind: kind, ID: "k000"}} {
		mustApply(t, s, put(store.Record{Ref: r, CreatedAt: base}))
	}
	for _, limit := range []int{1, 5, 23, 0} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			wantIDs(t, listAll(t, s, query("", limit)), ids)
		})
	}
	p, err := s.List(context.Background(), query("", 0))
	if err != nil || len(p.Records) != len(ids) || p.Next != "" {
		t.Fatalf("List with the default limit: got %d records, Next %q, %v; want all %d on one page", len(p.Records), p.Next, err, len(ids))
	}
	if got := p.Records[3]; !sameRecord(got, record(ids[3])) || got.Version != 1 {
		t.Errorf("listed record: got %+v, want %+v", got, record(ids[3]))
	}
}

func testListPrefixAndLimit(t *testing.T, s Store) {
	createAll(t, s, "a", "ab", "abc", "abd", "b", "ba", "ab\u00ff", "aa")
	wantIDs(t, listAll(t, s, query("ab", 2)), []string{"ab", "abc", "abd", "ab\u00ff"})
	wantIDs(t, listAll(t, s, query("b", 1)), []string{"b", "ba"})
	wantIDs(t, listAll(t, s, query("c", 1)), nil)
	p, err := s.List(context.Background(), query("a", 3))
	if err != nil || len(p.Records) != 3 || p.Next == "" {
		t.Errorf("List limit 3: got %d records, Next %q, %v; want 3 and a cursor", len(p.Records), p.Next, err)
	}
}

func testListSkips(t *testing.T, s Store) {
	var tx store.Tx
	for i, id := range numbered("k", 12) {
		r := withClaims(record(id), nameRef(id))
		if i%3 != 0 {
			r.ExpiresAt = time.Now().Add(-time.Minute).Truncate(time.Second)
		}
		tx = append(tx, put(r))
	}
	tx = append(tx, count(store.Ref{Service: service, Tenant: tenant, Kind: kind, ID: "k001c"}, 1, 5))
	mustApply(t, s, tx...)
	want := []string{"k000", "k003", "k006", "k009"}
	for _, limit := range []int{1, 2, 100} {
		wantIDs(t, listAll(t, s, query("", limit)), want)
	}
	// Claims and counters are not records, whatever their kind.
	claims := store.Query{Service: service, Tenant: tenant, Kind: "name"}
	wantIDs(t, listAll(t, s, claims), nil)
}

func testListSeesCreate(t *testing.T, s Store) {
	for _, id := range numbered("k", 5) {
		createAll(t, s, id)
		got := listAll(t, s, query("", 0))
		if len(got) == 0 || got[len(got)-1] != id {
			t.Fatalf("List right after creating %s: got %v, want it last", id, got)
		}
	}
	mustApply(t, s, del(ref("k002"), 0))
	wantIDs(t, listAll(t, s, query("", 2)), []string{"k000", "k001", "k003", "k004"})
}

func testBadCursor(t *testing.T, s Store) {
	ctx := context.Background()
	createAll(t, s, numbered("k", 4)...)
	other := store.Record{Ref: store.Ref{Service: service, Tenant: "tenant-2", Kind: kind, ID: "k000"}, CreatedAt: base}
	mustApply(t, s, put(other))
	p, err := s.List(ctx, query("", 1))
	if err != nil || p.Next == "" {
		t.Fatalf("List: got %+v, %v; want a first page and a cursor", p, err)
	}
	tampered := []byte(p.Next)
	tampered[len(tampered)-1] ^= 1
	if tampered[len(tampered)-1] == p.Next[len(p.Next)-1] {
		tampered[len(tampered)-1] = 'A'
	}
	tests := []struct {
		name string
		q    store.Query
	}{
		{"another tenant", store.Query{Service: service, Tenant: "tenant-2", Kind: kind, Cursor: p.Next}},
		{"another kind", store.Query{Service: service, Tenant: tenant, Kind: "name", Cursor: p.Next}},
		{"another prefix", store.Query{Service: service, Tenant: tenant, Kind: kind, Prefix: "k", Cursor: p.Next}},
		{"tampered", store.Query{Service: service, Tenant: tenant, Kind: kind, Cursor: string(tampered)}},
		{"not base64", store.Query{Service: service, Tenant: tenant, Kind: kind, Cursor: "!!!"}},
		{"forged", store.Query{Service: service, Tenant: tenant, Kind: kind, Cursor: "AAAAAAAAAAAAAAAAAAAAAGswMDA"}},
		{"too short", store.Query{Service: service, Tenant: tenant, Kind: kind, Cursor: "AAAA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := s.List(ctx, tt.q); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("List: got %+v, %v; want ErrBadCursor", got, err)
			}
		})
	}
	// The genuine cursor still works after the refusals.
	q := query("", 1)
	q.Cursor = p.Next
	if p2, err := s.List(ctx, q); err != nil || len(p2.Records) != 1 || p2.Records[0].ID != "k001" {
		t.Errorf("List with the genuine cursor: got %+v, %v; want k001", p2, err)
	}
}
