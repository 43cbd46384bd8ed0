// Package storetest is the conformance suite every store.Store driver passes: round trips of
// typed records, versions, atomic transactions, claims, quotas, expiry, paging, the creation
// index and counts of indexed kinds (index.go), the attribute index (attr.go), and the
// concurrency guarantees the API handlers rely on (one winner per unique name, a quota that
// holds under a burst of creates and deletes).
//
// Drivers call Run from their own tests with a function that opens a fresh, empty store.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"keyport/shared/store"
)

// Store is what the suite needs of a driver: the contract, and the two helpers every driver
// exports for tests and operators (counting and scanning are not part of store.Store).
type Store interface {
	store.Store
	// CountRecords returns the number of live records; claims and counters are not records.
	CountRecords(ctx context.Context) (int, error)
	// CounterValue returns the counter at ref, 0 when it was never moved.
	CounterValue(ctx context.Context, ref store.Ref) (int64, error)
}

// Run runs the suite. open must return a new, empty store for each call; it owns cleanup
// (t.Cleanup) of what it opens.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"GetMissing", testGetMissing},
		{"TxIsAtomic", testTxIsAtomic},
		{"InvalidTxIsInternal", testInvalidTx},
		{"Versions", testVersions},
		{"UpdateMerges", testUpdateMerges},
		{"PutAtVersionReplaces", testPutAtVersion},
		{"MissingAndStale", testMissingAndStale},
		{"ClaimIsUnique", testClaimIsUnique},
		{"DeleteReleasesClaims", testDeleteReleasesClaims},
		{"CounterLimits", testCounterLimits},
		{"ExpiredIsAbsent", testExpiredIsAbsent},
		{"UnexpiredBlocksCreate", testUnexpiredBlocksCreate},
		{"ListPages", testListPages},
		{"ListPrefixAndLimit", testListPrefixAndLimit},
		{"ListSkipsExpiredAndClaims", testListSkips},
		{"ListSeesCreateAtOnce", testListSeesCreate},
		{"BadCursor", testBadCursor},
		{"RaceSameRef", testRaceSameRef},
		{"RaceCounter", testRaceCounter},
		{"RaceUpdateSameVersion", testRaceUpdate},
		{"RaceDeleteAndClaim", testRaceDeleteAndClaim},
		{"RaceQuotaWithDeletes", testRaceQuota},
		{"RaceListWhileCreating", testRaceList},
		{"IndexOrder", testIndexOrder},
		{"IndexEntries", testIndexEntries},
		{"IndexDeletesAndExpiry", testIndexDeletes},
		{"IndexQueries", testIndexQueries},
		{"RaceIndexCount", testRaceIndexCount},
		{"IndexPagingStable", testIndexPagingStable},
		{"IndexGroups", testIndexGroups},
		{"AttrIndex", testAttrIndex},
		{"AttrIndexWrites", testAttrIndexWrites},
		{"AttrIndexQueries", testAttrIndexQueries},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// base is a fixed instant at whole seconds, so times round-trip exactly through every driver
// (DynamoDB keeps expiry in unix seconds, the other times in milliseconds).
var base = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

const (
	service = "test-service"
	tenant  = "tenant-1"
	kind    = "thing"
)

func ref(id string) store.Ref { return store.Ref{Service: service, Tenant: tenant, Kind: kind, ID: id} }

func nameRef(name string) store.Ref {
	return store.Ref{Service: service, Tenant: tenant, Kind: "name", ID: name}
}

func counterRef(id string) store.Ref {
	return store.Ref{Service: service, Tenant: tenant, Kind: "counter", ID: id}
}

func record(id string) store.Record {
	return store.Record{
		Ref:       ref(id),
		Attrs:     store.Attrs{"Name": "n-" + id, "Status": "Enabled"},
		Sealed:    []byte("sealed:" + id),
		CreatedAt: base.Add(535 * time.Millisecond),
	}
}

func put(r store.Record) store.Action { return store.Action{Put: &store.Put{Record: r}} }

func count(r store.Ref, delta, limit int64) store.Action {
	return store.Action{Count: &store.Count{Ref: r, Delta: delta, Limit: limit}}
}

func del(r store.Ref, ifVersion int64) store.Action {
	return store.Action{Delete: &store.Delete{Ref: r, IfVersion: ifVersion}}
}

func mustApply(t *testing.T, s Store, tx ...store.Action) {
	t.Helper()
	if err := s.Apply(context.Background(), tx); err != nil {
		t.Fatalf("Apply: got error %v, want nil", err)
	}
}

// wantConflict checks that err is exactly the conflict want.
func wantConflict(t *testing.T, err error, want store.Conflict) {
	t.Helper()
	c := store.ConflictOf(err)
	if c == nil {
		t.Fatalf("got error %v, want conflict %+v", err, want)
	}
	if *c != want {
		t.Errorf("got conflict %+v, want %+v", *c, want)
	}
}

func mustGet(t *testing.T, s Store, r store.Ref) store.Record {
	t.Helper()
	got, err := s.Get(context.Background(), r)
	if err != nil {
		t.Fatalf("Get(%s): got error %v, want nil", r, err)
	}
	return got
}

func wantNotFound(t *testing.T, s Store, r store.Ref) {
	t.Helper()
	if got, err := s.Get(context.Background(), r); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(%s): got %+v, %v; want ErrNotFound", r, got, err)
	}
}

// sameRecord compares what a caller writes: times by instant, nil and empty alike. Version
// and UpdatedAt are the store's and are checked apart.
func sameRecord(got, want store.Record) bool {
	return got.Ref == want.Ref && sameAttrs(got.Attrs, want.Attrs) && bytes.Equal(got.Sealed, want.Sealed) &&
		sameRefs(got.Claims, want.Claims) && got.CreatedAt.Equal(want.CreatedAt) && got.ExpiresAt.Equal(want.ExpiresAt)
}

// sameAttrs compares values with their types: int64(1) is not "1", []string{} is not nil's
// absence but is equal to an empty list.
func sameAttrs(got, want store.Attrs) bool {
	if len(got) != len(want) {
		return false
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || reflect.TypeOf(g) != reflect.TypeOf(w) {
			return false
		}
		if wl, ok := w.([]string); ok {
			gl := g.([]string)
			if len(gl) != len(wl) || (len(wl) > 0 && !reflect.DeepEqual(gl, wl)) {
				return false
			}
			continue
		}
		if g != w {
			return false
		}
	}
	return true
}

func sameRefs(got, want []store.Ref) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func wantCount(t *testing.T, s Store, want int) {
	t.Helper()
	got, err := s.CountRecords(context.Background())
	if err != nil || got != want {
		t.Errorf("CountRecords: got %d, %v; want %d", got, err, want)
	}
}

func wantCounter(t *testing.T, s Store, r store.Ref, want int64) {
	t.Helper()
	got, err := s.CounterValue(context.Background(), r)
	if err != nil || got != want {
		t.Errorf("CounterValue(%s): got %d, %v; want %d", r, got, err, want)
	}
}
