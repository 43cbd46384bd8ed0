package storetest

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// racers is how many goroutines contend in the concurrency tests: enough to fill a bbolt batch
// and to overlap DynamoDB transactions on one item.
const racers = 32

// race runs fn(i) for i in [0, racers) at once, released together, and returns each result.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(racers)
	done.Add(racers)
	for i := range racers {
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

// tally counts successes and faults of kind want on field; any other outcome fails the test.
func tally(t *testing.T, errs []error, want fault.Kind, field string) (ok, refused int) {
	t.Helper()
	for i, err := range errs {
		if err == nil {
			ok++
			continue
		}
		f := fault.As(err)
		if f.Kind != want || f.Field != field {
			t.Errorf("racer %d: got error %v (kind %s), want nil or %s on %q", i, err, f.Kind, want, field)
			continue
		}
		refused++
	}
	return ok, refused
}

func testRaceSameKey(t *testing.T, s store.Store) {
	const key = "svc/key/contended"
	errs := race(func(i int) error {
		r := record(key)
		r.Attrs = map[string]string{"Racer": fmt.Sprint(i)}
		return s.Create(context.Background(), store.Write{Records: []store.Record{r}})
	})
	ok, refused := tally(t, errs, fault.Exists, key)
	if ok != 1 || refused != racers-1 {
		t.Errorf("got %d created and %d refused, want 1 and %d", ok, refused, racers-1)
	}
	got, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): got error %v, want nil", key, err)
	}
	// The stored record is the winner's, not a mix or a loser's overwrite.
	if w, err := strconv.Atoi(got.Attrs["Racer"]); err != nil || w < 0 || w >= racers || errs[w] != nil {
		t.Errorf("stored record is racer %q's, which did not succeed", got.Attrs["Racer"])
	}
	wantCount(t, s, 1)
}

func testRaceCounter(t *testing.T, s store.Store) {
	const limit = racers / 4
	c := &store.Counter{Key: "svc/count/contended", Limit: limit}
	errs := race(func(i int) error {
		r := record(fmt.Sprintf("svc/key/%02d", i))
		return s.Create(context.Background(), store.Write{Records: []store.Record{r}, Counter: c})
	})
	ok, refused := tally(t, errs, fault.LimitExceeded, c.Key)
	if ok != limit || refused != racers-limit {
		t.Errorf("got %d created and %d refused, want %d and %d", ok, refused, limit, racers-limit)
	}
	wantCounter(t, s, c.Key, limit)
	wantCount(t, s, limit)
	for i, err := range errs {
		key := fmt.Sprintf("svc/key/%02d", i)
		_, getErr := s.Get(context.Background(), key)
		if (err == nil) != (getErr == nil) {
			t.Errorf("racer %d: Create got %v but Get(%q) got %v; want both to agree", i, err, key, getErr)
		}
	}
}
