package boltstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var testBucket = []byte("t")

func openCommitter(t *testing.T) (*bolt.DB, *committer) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "c.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(testBucket); return err }); err != nil {
		t.Fatal(err)
	}
	c := newCommitter(db)
	t.Cleanup(func() { c.close(); _ = db.Close() })
	return db, c
}

func put(key string, txID *int) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		if txID != nil {
			*txID = tx.ID()
		}
		return tx.Bucket(testBucket).Put([]byte(key), []byte("v"))
	}
}

func keys(t *testing.T, db *bolt.DB) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	_ = db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(testBucket).ForEach(func(k, _ []byte) error { got[string(k)] = true; return nil })
	})
	return got
}

// blockLoop queues a write that holds the loop until the returned function is called, so the
// writes sent meanwhile are queued together.
func blockLoop(t *testing.T, c *committer) (release func()) {
	t.Helper()
	started, hold := make(chan struct{}, 1), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- c.do(context.Background(), func(tx *bolt.Tx) error {
			select {
			case started <- struct{}{}:
			default: // a second run (after a rollback) finds the signal already sent
			}
			<-hold
			return nil
		})
	}()
	<-started
	return func() {
		close(hold)
		if err := <-done; err != nil {
			t.Errorf("blocking write: got %v, want nil", err)
		}
	}
}

// waitQueued waits until n writes are queued behind the loop.
func waitQueued(t *testing.T, c *committer, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); len(c.queue) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", len(c.queue), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCommitterGroupsQueuedWrites(t *testing.T) {
	db, c := openCommitter(t)
	release := blockLoop(t, c)
	const n = 10
	ids := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = c.do(context.Background(), put(fmt.Sprint(i), &ids[i])) }()
	}
	waitQueued(t, c, n)
	release()
	wg.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("write %d: error %v in transaction %d, want nil in one transaction with write 0 (%d)", i, errs[i], ids[i], ids[0])
		}
	}
	if got := keys(t, db); len(got) != n {
		t.Errorf("got %d keys, want %d", len(got), n)
	}
}

// TestCommitterGatherYieldsToWritersAboutToQueue: a write a goroutine queues only once the loop
// yields the processor joins the group (one processor, so the yield is the only chance it
// gets), and a lone write's group is itself alone. Whether the scheduler runs the writer at the
// first yield depends on what else is runnable (GC workers, -race), so the gathering is tried
// up to 50 times and must take the late write in at least once; without the yield it never
// can, since nothing else runs on the one processor while gather does.
func TestCommitterGatherYieldsToWritersAboutToQueue(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	c := &committer{queue: make(chan *write, maxGroup)}
	if g := c.gather(&write{}); len(g) != 1 {
		t.Fatalf("a lone write's group holds %d writes, want 1", len(g))
	}
	for range 50 {
		queued := make(chan struct{})
		go func() {
			c.queue <- &write{}
			close(queued)
		}()
		g := c.gather(&write{})
		<-queued
		if len(g) == 2 {
			return
		}
		<-c.queue // the late write came after the group: drain it for the next try
	}
	t.Fatal("in 50 tries, no write queued while the group gathered joined it")
}

func TestCommitterFailedWriteLeavesItsGroupCommitted(t *testing.T) {
	db, c := openCommitter(t)
	release := blockLoop(t, c)
	refusal := errors.New("refused")
	fns := map[string]func(*bolt.Tx) error{
		"a": put("a", nil),
		"failing": func(tx *bolt.Tx) error {
			_ = tx.Bucket(testBucket).Put([]byte("failing"), []byte("v"))
			return refusal
		},
		"panicking": func(*bolt.Tx) error { panic("boom") },
		"b":         put("b", nil),
	}
	errs := map[string]chan error{}
	for name, fn := range fns {
		done := make(chan error, 1)
		errs[name] = done
		go func() { done <- c.do(context.Background(), fn) }()
	}
	waitQueued(t, c, len(fns))
	release()
	if err := <-errs["failing"]; !errors.Is(err, refusal) {
		t.Errorf("failing write: got %v, want its own error", err)
	}
	if err := <-errs["panicking"]; err == nil {
		t.Error("panicking write: got nil, want an error")
	}
	for _, name := range []string{"a", "b"} {
		if err := <-errs[name]; err != nil {
			t.Errorf("write %s: got %v, want nil", name, err)
		}
	}
	if got := keys(t, db); !got["a"] || !got["b"] || len(got) != 2 {
		t.Errorf("got keys %v, want a and b only", got)
	}
	// The loop survived the panic.
	if err := c.do(context.Background(), put("c", nil)); err != nil || !keys(t, db)["c"] {
		t.Errorf("write after a panic: got %v, want it committed", err)
	}
}

// A caller whose context ends while the loop is stuck (a stalled disk) gets its context's error
// at once; its write is still queued and may commit later, which is why it is "unknown".
func TestCommitterCallerDeadline(t *testing.T) {
	db, c := openCommitter(t)
	release := blockLoop(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := c.do(ctx, put("late", nil)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("returned after %v, want soon after the 20ms deadline", waited)
	}
	release()
	if err := c.do(context.Background(), put("next", nil)); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, db); !got["late"] || !got["next"] {
		t.Errorf("got keys %v, want the abandoned write committed after all, and the next", got)
	}
}

func TestCommitterClosed(t *testing.T) {
	_, c := openCommitter(t)
	c.close()
	c.close() // twice is harmless
	if err := c.do(context.Background(), put("x", nil)); !errors.Is(err, errClosed) {
		t.Errorf("got %v, want errClosed", err)
	}
}

// Apply waits for its commit no longer than its context: with the disk stalled (here, the
// committer held), a create gets its deadline, which the handlers answer as a timeout.
func TestApplyHonoursDeadlineWhileCommitsStall(t *testing.T) {
	s := open(t)
	release := blockLoop(t, s.writes)
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := s.Apply(ctx, benchTx(1))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
}
