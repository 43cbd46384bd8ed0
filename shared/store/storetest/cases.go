package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"keyport/shared/store"
)

func testRoundTrip(t *testing.T, s Store) {
	ctx := context.Background()
	full := record("full")
	full.Attrs = store.Attrs{"s": "text", "empty": "", "n": int64(1) << 53, "neg": int64(-7), "zero": int64(0),
		"t": true, "f": false, "l": []string{"b", "a", "b"}, "none": []string{}}
	full.ExpiresAt = time.Now().Add(24 * time.Hour).Truncate(time.Second)
	full.Sealed = []byte{0, 1, 2, 0xff, 0xfe, 0}
	full.Claims = []store.Ref{nameRef("full"), {Service: service, Kind: "global", ID: "G-1"}}
	bare := store.Record{Ref: store.Ref{Service: service, Kind: "bare", ID: "b#1/x"}, CreatedAt: base}
	for _, r := range []store.Record{full, bare} {
		t.Run(r.Kind, func(t *testing.T) {
			before := time.Now().Add(-time.Second)
			mustApply(t, s, put(r))
			got := mustGet(t, s, r.Ref)
			if !sameRecord(got, r) {
				t.Errorf("Get(%s):\n got %+v\nwant %+v", r.Ref, got, r)
			}
			if got.Version != 1 {
				t.Errorf("Version: got %d, want 1", got.Version)
			}
			if got.UpdatedAt.Before(before) || got.UpdatedAt.After(time.Now().Add(time.Second)) {
				t.Errorf("UpdatedAt: got %v, want about now", got.UpdatedAt)
			}
		})
	}
	wantCount(t, s, 2)
	_ = ctx
}

func testGetMissing(t *testing.T, s Store) {
	mustApply(t, s, put(record("present")))
	wantNotFound(t, s, ref("absent"))
	wantNotFound(t, s, store.Ref{Service: service, Tenant: "other", Kind: kind, ID: "present"})
	wantNotFound(t, s, counterRef("present"))
}

func testTxIsAtomic(t *testing.T, s Store) {
	c := counterRef("acct")
	mustApply(t, s, put(record("b")), count(c, 1, 10))
	err := s.Apply(context.Background(), store.Tx{put(record("a")), put(record("b")), put(record("c")), count(c, 1, 10)})
	wantConflict(t, err, store.Conflict{Action: 1, Claim: -1, Reason: store.Exists})
	wantNotFound(t, s, ref("a"))
	wantNotFound(t, s, ref("c"))
	wantCount(t, s, 1)
	wantCounter(t, s, c, 1)
	// Of several refused creates, the lowest action is reported.
	taken := withClaims(record("d"), nameRef("n"))
	mustApply(t, s, put(taken))
	err = s.Apply(context.Background(), store.Tx{count(c, 1, 1), put(record("b")), put(withClaims(record("e"), nameRef("n")))})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: -1, Reason: store.AtLimit})
	err = s.Apply(context.Background(), store.Tx{put(record("b")), put(withClaims(record("e"), nameRef("n"))), count(c, 1, 1)})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: -1, Reason: store.Exists})
	err = s.Apply(context.Background(), store.Tx{put(withClaims(record("e"), nameRef("n"))), put(record("b"))})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: 0, Reason: store.Claimed})
	wantCount(t, s, 2)
	if got := mustGet(t, s, ref("b")); !sameRecord(got, record("b")) || got.Version != 1 {
		t.Errorf("Get(b) after a refused tx: got %+v, want the original record", got)
	}
}

func testInvalidTx(t *testing.T, s Store) {
	r := record("x")
	claimed := record("y")
	claimed.Claims = []store.Ref{ref("x")}
	bad := record("z")
	bad.Attrs = store.Attrs{"f": 1.5}
	untyped := record("w")
	untyped.Attrs = store.Attrs{"i": 3}
	noID := record("")
	tests := []struct {
		name string
		tx   store.Tx
	}{
		{"empty", nil},
		{"repeated record", store.Tx{put(r), put(r)}},
		{"record claimed by another action", store.Tx{put(r), put(claimed)}},
		{"counter on a record ref", store.Tx{put(r), count(ref("x"), 1, 5)}},
		{"float attribute", store.Tx{put(bad)}},
		{"int attribute", store.Tx{put(untyped)}},
		{"delta 2", store.Tx{count(counterRef("c"), 2, 5)}},
		{"delta 0", store.Tx{count(counterRef("c"), 0, 5)}},
		{"no id", store.Tx{put(noID)}},
		{"no service", store.Tx{del(store.Ref{Kind: kind, ID: "x"}, 0)}},
		{"hash in kind", store.Tx{del(store.Ref{Service: service, Kind: "a#b", ID: "x"}, 0)}},
		{"two steps", store.Tx{{Put: &store.Put{Record: r}, Delete: &store.Delete{Ref: r.Ref}}}},
		{"no step", store.Tx{{}}},
		{"bad update value", store.Tx{{Update: &store.Update{Ref: r.Ref, Set: store.Attrs{"m": map[string]string{}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Apply(context.Background(), tt.tx)
			if err == nil || store.ConflictOf(err) != nil || errors.Is(err, store.ErrNotFound) {
				t.Errorf("Apply: got %v, want an internal error", err)
			}
		})
	}
	wantCount(t, s, 0)
}

func testVersions(t *testing.T, s Store) {
	ctx := context.Background()
	mustApply(t, s, put(record("v")))
	first := mustGet(t, s, ref("v"))
	for i := int64(1); i <= 3; i++ {
		at := first.UpdatedAt.Add(time.Duration(i) * time.Second)
		mustApply(t, s, store.Action{Update: &store.Update{Ref: ref("v"), IfVersion: i, Set: store.Attrs{"Step": i}, At: at}})
		got := mustGet(t, s, ref("v"))
		if got.Version != i+1 || !got.UpdatedAt.Equal(at) || got.Attrs.Int("Step") != i {
			t.Errorf("after update %d: got version %d, UpdatedAt %v, Step %v; want %d, %v, %d",
				i, got.Version, got.UpdatedAt, got.Attrs["Step"], i+1, at, i)
		}
		if !got.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("after update %d: CreatedAt moved from %v to %v", i, first.CreatedAt, got.CreatedAt)
		}
	}
	// An update without IfVersion accepts any version and uses the store's clock.
	if err := s.Apply(ctx, store.Tx{{Update: &store.Update{Ref: ref("v"), Set: store.Attrs{"Any": true}}}}); err != nil {
		t.Fatalf("Update without IfVersion: got error %v, want nil", err)
	}
	if got := mustGet(t, s, ref("v")); got.Version != 5 || !got.Attrs.Bool("Any") {
		t.Errorf("after an unversioned update: got version %d, attrs %v; want 5 and Any", got.Version, got.Attrs)
	}
}

func testUpdateMerges(t *testing.T, s Store) {
	r := record("m")
	r.Attrs = store.Attrs{"keep": "k", "drop": "d", "change": int64(1), "list": []string{"a"}}
	mustApply(t, s, put(r))
	mustApply(t, s, store.Action{Update: &store.Update{Ref: r.Ref, Set: store.Attrs{
		"drop": nil, "change": int64(2), "list": []string{"a", "b"}, "new": false, "absent": nil}}})
	got := mustGet(t, s, r.Ref)
	want := store.Attrs{"keep": "k", "change": int64(2), "list": []string{"a", "b"}, "new": false}
	if !sameAttrs(got.Attrs, want) {
		t.Errorf("attrs after merge: got %v, want %v", got.Attrs, want)
	}
	if string(got.Sealed) != string(r.Sealed) {
		t.Errorf("Sealed after an update without one: got %q, want %q", got.Sealed, r.Sealed)
	}
	mustApply(t, s, store.Action{Update: &store.Update{Ref: r.Ref, Sealed: []byte("resealed")}})
	if got := mustGet(t, s, r.Ref); string(got.Sealed) != "resealed" || !sameAttrs(got.Attrs, want) {
		t.Errorf("after a reseal: got %q, %v; want the new blob and the same attrs", got.Sealed, got.Attrs)
	}
}

func testPutAtVersion(t *testing.T, s Store) {
	r := record("p")
	r.Claims = []store.Ref{nameRef("old")}
	mustApply(t, s, put(r))
	next := record("p")
	next.Attrs = store.Attrs{"Generation": int64(2)}
	next.Claims = []store.Ref{nameRef("new")}
	mustApply(t, s, store.Action{Put: &store.Put{Record: next, IfVersion: 1}})
	got := mustGet(t, s, r.Ref)
	if !sameRecord(got, next) || got.Version != 2 {
		t.Errorf("after Put at version 1: got %+v (version %d), want %+v at version 2", got, got.Version, next)
	}
	// The replaced record's claim is free again, the new one is held.
	mustApply(t, s, put(withClaims(record("q"), nameRef("old"))))
	err := s.Apply(context.Background(), store.Tx{put(withClaims(record("r"), nameRef("new")))})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: 0, Reason: store.Claimed})
	err = s.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: next, IfVersion: 1}}})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: -1, Reason: store.Stale})
	err = s.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: record("none"), IfVersion: 1}}})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: -1, Reason: store.Missing})
}

func withClaims(r store.Record, claims ...store.Ref) store.Record {
	r.Claims = claims
	return r
}

func testMissingAndStale(t *testing.T, s Store) {
	old := record("old")
	old.ExpiresAt = time.Now().Add(-time.Hour).Truncate(time.Second)
	mustApply(t, s, put(record("live")), put(old))
	update := func(id string, v int64) store.Action {
		return store.Action{Update: &store.Update{Ref: ref(id), IfVersion: v, Set: store.Attrs{"x": "y"}}}
	}
	tests := []struct {
		name string
		tx   store.Tx
		want store.Reason
	}{
		{"update missing", store.Tx{update("none", 0)}, store.Missing},
		{"update expired", store.Tx{update("old", 0)}, store.Missing},
		{"update stale", store.Tx{update("live", 2)}, store.Stale},
		{"delete missing", store.Tx{del(ref("none"), 0)}, store.Missing},
		{"delete expired", store.Tx{del(ref("old"), 1)}, store.Missing},
		{"delete stale", store.Tx{del(ref("live"), 3)}, store.Stale},
		{"second action stale", store.Tx{put(record("new")), del(ref("live"), 3)}, store.Stale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Apply(context.Background(), tt.tx)
			wantConflict(t, err, store.Conflict{Action: len(tt.tx) - 1, Claim: -1, Reason: tt.want})
		})
	}
	if got := mustGet(t, s, ref("live")); got.Version != 1 || got.Attrs.String("x") != "" {
		t.Errorf("after refused updates: got version %d, attrs %v; want the original", got.Version, got.Attrs)
	}
	wantNotFound(t, s, ref("new"))
	mustApply(t, s, del(ref("live"), 1))
	wantNotFound(t, s, ref("live"))
	wantCount(t, s, 0)
}

func testClaimIsUnique(t *testing.T, s Store) {
	mustApply(t, s, put(withClaims(record("a"), nameRef("shared"))))
	err := s.Apply(context.Background(), store.Tx{put(record("b")), put(withClaims(record("c"), nameRef("mine"), nameRef("shared")))})
	wantConflict(t, err, store.Conflict{Action: 1, Claim: 1, Reason: store.Claimed})
	wantNotFound(t, s, ref("b"))
	wantNotFound(t, s, ref("c"))
	// The refused transaction took no claim: "mine" is free.
	mustApply(t, s, put(withClaims(record("d"), nameRef("mine"))))
	// A claim is scoped by its whole ref: the same name in another tenant is another claim.
	other := nameRef("shared")
	other.Tenant = "tenant-2"
	mustApply(t, s, put(withClaims(record("e"), other)))
	wantCount(t, s, 3)
}

func testDeleteReleasesClaims(t *testing.T, s Store) {
	mustApply(t, s, put(withClaims(record("a"), nameRef("n1"), nameRef("n2"))))
	mustApply(t, s, del(ref("a"), 0))
	wantNotFound(t, s, ref("a"))
	mustApply(t, s, put(withClaims(record("b"), nameRef("n2"))), put(withClaims(record("c"), nameRef("n1"))))
	wantCount(t, s, 2)
}

func testCounterLimits(t *testing.T, s Store) {
	ctx := context.Background()
	c, other := counterRef("acct"), counterRef("other")
	for _, id := range []string{"k1", "k2", "k3"} {
		mustApply(t, s, put(record(id)), count(c, 1, 3))
	}
	err := s.Apply(ctx, store.Tx{put(record("k4")), count(c, 1, 3)})
	wantConflict(t, err, store.Conflict{Action: 1, Claim: -1, Reason: store.AtLimit})
	wantNotFound(t, s, ref("k4"))
	wantCounter(t, s, c, 3)
	mustApply(t, s, del(ref("k1"), 0), count(c, -1, 3))
	mustApply(t, s, put(record("k4")), count(c, 1, 3))
	wantCounter(t, s, c, 3)
	wantCount(t, s, 3)
	// Counters are independent; one never moved reads 0 and cannot go below it.
	mustApply(t, s, count(other, 1, 3))
	wantCounter(t, s, other, 1)
	wantCounter(t, s, counterRef("never"), 0)
	err = s.Apply(ctx, store.Tx{del(ref("k2"), 0), count(counterRef("never"), -1, 3)})
	wantConflict(t, err, store.Conflict{Action: 1, Claim: -1, Reason: store.AtZero})
	mustGet(t, s, ref("k2"))
	// A limit of zero refuses the first increment.
	err = s.Apply(ctx, store.Tx{count(counterRef("none"), 1, 0)})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: -1, Reason: store.AtLimit})
	wantCounter(t, s, counterRef("none"), 0)
}

func testExpiredIsAbsent(t *testing.T, s Store) {
	old := withClaims(record("nonce"), nameRef("taken"))
	old.ExpiresAt = time.Now().Add(-time.Hour).Truncate(time.Second)
	mustApply(t, s, put(old))
	wantNotFound(t, s, old.Ref)
	wantCount(t, s, 0)

	fresh := record("nonce")
	fresh.Attrs = store.Attrs{"Generation": int64(2)}
	mustApply(t, s, put(fresh))
	got := mustGet(t, s, old.Ref)
	if !sameRecord(got, fresh) || got.Version != 1 {
		t.Errorf("Get after re-create: got %+v (version %d), want %+v at version 1", got, got.Version, fresh)
	}
	// The expired record's claim is free too.
	mustApply(t, s, put(withClaims(record("other"), nameRef("taken"))))
	wantCount(t, s, 2)
}

func testUnexpiredBlocksCreate(t *testing.T, s Store) {
	r := withClaims(record("nonce"), nameRef("held"))
	r.ExpiresAt = time.Now().Add(time.Hour).Truncate(time.Second)
	mustApply(t, s, put(r))
	err := s.Apply(context.Background(), store.Tx{put(record("nonce"))})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: -1, Reason: store.Exists})
	err = s.Apply(context.Background(), store.Tx{put(withClaims(record("x"), nameRef("held")))})
	wantConflict(t, err, store.Conflict{Action: 0, Claim: 0, Reason: store.Claimed})
	wantCount(t, s, 1)
}
