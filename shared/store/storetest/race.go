package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"keyport/shared/store"
)

// racers is how many goroutines contend in the concurrency tests: enough to fill a bbolt batch
// and to overlap DynamoDB transactions on one item, few enough to keep moto quick.
const racers = 16

// race runs fn(i) for i in [0, n) at once, released together, and returns each result.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}

// tally counts successes and conflicts with reason want; any other outcome fails the test.
func tally(t *testing.T, errs []error, want store.Reason) (ok, refused int) {
	t.Helper()
	for i, err := range errs {
		if err == nil {
			ok++
			continue
		}
		if c := store.ConflictOf(err); c == nil || c.Reason != want {
			t.Errorf("racer %d: got error %v, want nil or a %s conflict", i, err, want)
			continue
		}
		refused++
	}
	return ok, refused
}

func testRaceSameRef(t *testing.T, s Store) {
	errs := race(racers, func(i int) error {
		r := record("contended")
		r.Attrs = store.Attrs{"Racer": int64(i)}
		return s.Apply(context.Background(), store.Tx{put(r)})
	})
	ok, refused := tally(t, errs, store.Exists)
	if ok != 1 || refused != racers-1 {
		t.Errorf("got %d created and %d refused, want 1 and %d", ok, refused, racers-1)
	}
	// The stored record is the winner's, not a mix or a loser's overwrite.
	got := mustGet(t, s, ref("contended"))
	if w := got.Attrs.Int("Racer"); w < 0 || w >= racers || errs[w] != nil {
		t.Errorf("stored record is racer %v's, which did not succeed", got.Attrs["Racer"])
	}
	wantCount(t, s, 1)
}

func testRaceCounter(t *testing.T, s Store) {
	const limit = racers / 4
	c := counterRef("contended")
	errs := race(racers, func(i int) error {
		return s.Apply(context.Background(), store.Tx{put(record(fmt.Sprintf("k%02d", i))), count(c, 1, limit)})
	})
	ok, refused := tally(t, errs, store.AtLimit)
	if ok != limit || refused != racers-limit {
		t.Errorf("got %d created and %d refused, want %d and %d", ok, refused, limit, racers-limit)
	}
	wantCounter(t, s, c, limit)
	wantCount(t, s, limit)
	for i, err := range errs {
		_, getErr := s.Get(context.Background(), ref(fmt.Sprintf("k%02d", i)))
		if (err == nil) != (getErr == nil) {
			t.Errorf("racer %d: Apply got %v but Get got %v; want both to agree", i, err, getErr)
		}
	}
}

func testRaceUpdate(t *testing.T, s Store) {
	mustApply(t, s, put(record("u")))
	errs := race(racers, func(i int) error {
		return s.Apply(context.Background(), store.Tx{{Update: &store.Update{Ref: ref("u"), IfVersion: 1, Set: store.Attrs{"Racer": int64(i)}}}})
	})
	ok, refused := tally(t, errs, store.Stale)
	if ok != 1 || refused != racers-1 {
		t.Errorf("got %d updated and %d stale, want 1 and %d", ok, refused, racers-1)
	}
	got := mustGet(t, s, ref("u"))
	if w := got.Attrs.Int("Racer"); got.Version != 2 || errs[w] != nil {
		t.Errorf("got version %d by racer %d, want version 2 by the winner", got.Version, w)
	}
}

// testRaceDeleteAndClaim deletes the holder of a name while others try to claim it, in
// several rounds: afterwards the name is held exactly when a live record holds it.
func testRaceDeleteAndClaim(t *testing.T, s Store) {
	ctx := context.Background()
	const rounds, claimers = 4, racers / 2
	for round := range rounds {
		name := nameRef(fmt.Sprint("name-", round))
		holder := withClaims(record(fmt.Sprintf("r%d-holder", round)), name)
		mustApply(t, s, put(holder))
		errs := race(claimers+1, func(i int) error {
			if i == claimers {
				return s.Apply(ctx, store.Tx{del(holder.Ref, 0)})
			}
			return s.Apply(ctx, store.Tx{put(withClaims(record(fmt.Sprintf("r%d-c%02d", round, i)), name))})
		})
		if errs[claimers] != nil {
			t.Fatalf("round %d: Delete got %v, want nil", round, errs[claimers])
		}
		ok, _ := tally(t, errs[:claimers], store.Claimed)
		if ok > 1 {
			t.Errorf("round %d: %d claimers won the name, want at most 1", round, ok)
		}
		wantNotFound(t, s, holder.Ref)
		// Whoever won holds it; if nobody did, the delete released it and it is free now.
		err := s.Apply(ctx, store.Tx{put(withClaims(record(fmt.Sprintf("r%d-late", round)), name))})
		if ok == 1 {
			wantConflict(t, err, store.Conflict{Action: 0, Claim: 0, Reason: store.Claimed})
		} else if err != nil {
			t.Errorf("round %d: nobody won, yet a late claim got %v", round, err)
		}
	}
}

// testRaceQuota runs creates (with an increment) and deletes (with a decrement) at once under
// a limit: the counter always equals the live records, and the quota still admits exactly up
// to its limit afterwards.
func testRaceQuota(t *testing.T, s Store) {
	ctx := context.Background()
	const limit = 4
	c := counterRef("quota")
	for i := range limit {
		mustApply(t, s, put(record(fmt.Sprintf("old%d", i))), count(c, 1, limit))
	}
	errs := race(racers, func(i int) error {
		if i < limit {
			return s.Apply(ctx, store.Tx{del(ref(fmt.Sprintf("old%d", i)), 0), count(c, -1, limit)})
		}
		return s.Apply(ctx, store.Tx{put(record(fmt.Sprintf("new%02d", i))), count(c, 1, limit)})
	})
	for i, err := range errs[:limit] {
		if err != nil {
			t.Errorf("delete %d: got %v, want nil", i, err)
		}
	}
	tally(t, errs[limit:], store.AtLimit)
	live, err := s.CountRecords(ctx)
	if err != nil || live > limit {
		t.Fatalf("CountRecords: got %d, %v; want at most %d", live, err, limit)
	}
	wantCounter(t, s, c, int64(live))
	for i := 0; ; i++ {
		err := s.Apply(ctx, store.Tx{put(record(fmt.Sprintf("top%02d", i))), count(c, 1, limit)})
		if err != nil {
			wantConflict(t, err, store.Conflict{Action: 1, Claim: -1, Reason: store.AtLimit})
			break
		}
	}
	wantCount(t, s, limit)
	wantCounter(t, s, c, limit)
}

// testRaceList pages through a collection while other records are created into it: every
// record that existed before the listing is listed exactly once, in ascending order.
func testRaceList(t *testing.T, s Store) {
	before := numbered("k", 30)
	createAll(t, s, before...)
	var listed []string
	errs := race(racers, func(i int) error {
		if i == 0 {
			var err error
			listed, err = listIDs(s, query("", 4))
			return err
		}
		return s.Apply(context.Background(), store.Tx{put(record(fmt.Sprintf("k%03d-new", i)))})
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("racer %d: got %v, want nil", i, err)
		}
	}
	if !slices.IsSorted(listed) || len(slices.Compact(slices.Clone(listed))) != len(listed) {
		t.Errorf("listed ids are not strictly ascending: %v", listed)
	}
	for _, id := range before {
		if !slices.Contains(listed, id) {
			t.Errorf("%s existed before the listing and was not listed", id)
		}
	}
	wantCount(t, s, len(before)+racers-1)
}
