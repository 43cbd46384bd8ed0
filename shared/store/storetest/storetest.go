// Package storetest is the conformance suite every store.Store driver passes: round trips,
// atomic Writes, quotas, expiry and the concurrency guarantees the API handlers rely on
// (one winner per unique key, a quota that holds under a burst).
//
// Drivers call Run from their own tests with a function that opens a fresh, empty store.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// Run runs the suite. open must return a new, empty store for each call; it owns cleanup
// (t.Cleanup) of what it opens.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"GetMissing", testGetMissing},
		{"WriteIsAtomic", testWriteIsAtomic},
		{"CounterRefusesAtLimit", testCounterRefusesAtLimit},
		{"ZeroLimitRefusesFirst", testZeroLimit},
		{"ExpiredIsAbsent", testExpiredIsAbsent},
		{"UnexpiredBlocksCreate", testUnexpiredBlocksCreate},
		{"RepeatedKeyIsRefused", testRepeatedKey},
		{"RaceSameKey", testRaceSameKey},
		{"RaceCounter", testRaceCounter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// base is a fixed instant at whole seconds, so times round-trip exactly through every driver
// (DynamoDB keeps expiry in unix seconds, creation in milliseconds).
var base = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

func record(key string) store.Record {
	return store.Record{
		Key:       key,
		Service:   "test-service",
		Tenant:    "tenant-1",
		Attrs:     map[string]string{"Name": "n-" + key, "Status": "Enabled"},
		Sealed:    []byte("sealed:" + key),
		CreatedAt: base.Add(535 * time.Millisecond),
	}
}

func testRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	full := record("svc/full/1")
	full.ExpiresAt = time.Now().Add(24 * time.Hour).Truncate(time.Second)
	full.Sealed = []byte{0, 1, 2, 0xff, 0xfe, 0}
	claim := store.Record{Key: "svc/claim/1", Service: "test-service", CreatedAt: base}
	for _, r := range []store.Record{full, claim} {
		t.Run(r.Key, func(t *testing.T) {
			mustCreate(t, s, store.Write{Records: []store.Record{r}})
			got, err := s.Get(ctx, r.Key)
			if err != nil {
				t.Fatalf("Get(%q): got error %v, want nil", r.Key, err)
			}
			if !sameRecord(got, r) {
				t.Errorf("Get(%q):\n got %+v\nwant %+v", r.Key, got, r)
			}
		})
	}
	wantCount(t, s, 2)
}

func testGetMissing(t *testing.T, s store.Store) {
	mustCreate(t, s, store.Write{Records: []store.Record{record("svc/present")}})
	_, err := s.Get(context.Background(), "svc/absent")
	wantFault(t, err, fault.NotFound, "svc/absent")
}

func testWriteIsAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := &store.Counter{Key: "svc/count/acct", Limit: 10}
	mustCreate(t, s, store.Write{Records: []store.Record{record("svc/b")}, Counter: c})
	err := s.Create(ctx, store.Write{
		Records: []store.Record{record("svc/a"), record("svc/b"), record("svc/c")},
		Counter: c,
	})
	wantFault(t, err, fault.Exists, "svc/b")
	for _, key := range []string{"svc/a", "svc/c"} {
		_, err := s.Get(ctx, key)
		wantFault(t, err, fault.NotFound, key)
	}
	wantCount(t, s, 1)
	wantCounter(t, s, c.Key, 1)
	// The key that did exist is untouched by the refused Write.
	got, err := s.Get(ctx, "svc/b")
	if err != nil || !sameRecord(got, record("svc/b")) {
		t.Errorf("Get(svc/b) after refused write: got %+v, %v; want the original record", got, err)
	}
}

func testCounterRefusesAtLimit(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := &store.Counter{Key: "svc/count/acct", Limit: 3}
	other := &store.Counter{Key: "svc/count/other", Limit: 3}
	for _, key := range []string{"svc/k1", "svc/k2", "svc/k3"} {
		mustCreate(t, s, store.Write{Records: []store.Record{record(key)}, Counter: c})
	}
	err := s.Create(ctx, store.Write{Records: []store.Record{record("svc/k4")}, Counter: c})
	wantFault(t, err, fault.LimitExceeded, c.Key)
	_, err = s.Get(ctx, "svc/k4")
	wantFault(t, err, fault.NotFound, "svc/k4")
	wantCount(t, s, 3)
	wantCounter(t, s, c.Key, 3)
	// Counters are independent of one another.
	mustCreate(t, s, store.Write{Records: []store.Record{record("svc/k5")}, Counter: other})
	wantCounter(t, s, other.Key, 1)
	wantCounter(t, s, "svc/count/never", 0)
}

func testZeroLimit(t *testing.T, s store.Store) {
	c := &store.Counter{Key: "svc/count/none", Limit: 0}
	err := s.Create(context.Background(), store.Write{Records: []store.Record{record("svc/z")}, Counter: c})
	wantFault(t, err, fault.LimitExceeded, c.Key)
	wantCount(t, s, 0)
	wantCounter(t, s, c.Key, 0)
}

func testExpiredIsAbsent(t *testing.T, s store.Store) {
	ctx := context.Background()
	old := record("svc/nonce/1")
	old.ExpiresAt = time.Now().Add(-time.Hour).Truncate(time.Second)
	mustCreate(t, s, store.Write{Records: []store.Record{old}})
	_, err := s.Get(ctx, old.Key)
	wantFault(t, err, fault.NotFound, old.Key)
	wantCount(t, s, 0)

	fresh := record(old.Key)
	fresh.Attrs = map[string]string{"Generation": "2"}
	mustCreate(t, s, store.Write{Records: []store.Record{fresh}})
	got, err := s.Get(ctx, old.Key)
	if err != nil || !sameRecord(got, fresh) {
		t.Errorf("Get after re-create: got %+v, %v; want %+v", got, err, fresh)
	}
	wantCount(t, s, 1)
}

func testUnexpiredBlocksCreate(t *testing.T, s store.Store) {
	r := record("svc/nonce/2")
	r.ExpiresAt = time.Now().Add(time.Hour).Truncate(time.Second)
	mustCreate(t, s, store.Write{Records: []store.Record{r}})
	err := s.Create(context.Background(), store.Write{Records: []store.Record{record(r.Key)}})
	wantFault(t, err, fault.Exists, r.Key)
	wantCount(t, s, 1)
}

// sameRecord compares field by field: times by instant, nil and empty maps and slices alike.
func sameRecord(got, want store.Record) bool {
	return got.Key == want.Key && got.Service == want.Service && got.Tenant == want.Tenant &&
		maps.Equal(got.Attrs, want.Attrs) && bytes.Equal(got.Sealed, want.Sealed) &&
		got.CreatedAt.Equal(want.CreatedAt) && got.ExpiresAt.Equal(want.ExpiresAt)
}

func mustCreate(t *testing.T, s store.Store, w store.Write) {
	t.Helper()
	if err := s.Create(context.Background(), w); err != nil {
		t.Fatalf("Create(%s): got error %v, want nil", w.Records[0].Key, err)
	}
}

func wantFault(t *testing.T, err error, kind fault.Kind, field string) {
	t.Helper()
	var f *fault.Error
	if !errors.As(err, &f) {
		t.Fatalf("got error %v, want a %s fault on %q", err, kind, field)
	}
	if f.Kind != kind || f.Field != field {
		t.Errorf("got fault %s on %q, want %s on %q", f.Kind, f.Field, kind, field)
	}
}

func wantCount(t *testing.T, s store.Store, want int) {
	t.Helper()
	got, err := s.Count(context.Background())
	if err != nil || got != want {
		t.Errorf("Count: got %d, %v; want %d", got, err, want)
	}
}

func wantCounter(t *testing.T, s store.Store, key string, want int64) {
	t.Helper()
	got, err := s.CounterValue(context.Background(), key)
	if err != nil || got != want {
		t.Errorf("CounterValue(%q): got %d, %v; want %d", key, got, err, want)
	}
}

func testRepeatedKey(t *testing.T, s store.Store) {
	r := record("svc/twice")
	err := s.Create(context.Background(), store.Write{Records: []store.Record{r, r}})
	if err == nil || fault.IsClient(err) {
		t.Errorf("Create with a repeated key: got %v, want an internal error", err)
	}
	wantCount(t, s, 0)
}
