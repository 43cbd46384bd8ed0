package boltstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// errClosed answers a write sent after Close.
var errClosed = errors.New("boltstore: store is closed")

// maxGroup caps one commit, so a flood of writers cannot grow a transaction without bound.
const maxGroup = 1024

// committer is group commit without a delay. One goroutine runs the writes: it takes every
// write waiting when the previous commit ends and commits them in one transaction and one fsync.
// A lone write commits at once; under load a group holds everyone who arrived during the
// previous commit, so its size follows the disk's speed instead of a timer. (bbolt's own Batch
// closes a group on a fixed delay: groups formed while a commit runs then queue behind it,
// each paying its own fsync, and a lone write always waits the delay.)
type committer struct {
	db      *bolt.DB
	queue   chan *write
	closing chan struct{} // closed by close: no new writes
	stopped chan struct{} // closed when the loop has ended
	once    sync.Once
}

// write is one caller's transaction function and where its outcome goes (buffered, so the loop
// never waits for a caller that has given up).
type write struct {
	fn   func(*bolt.Tx) error
	done chan error
}

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db, queue: make(chan *write, maxGroup), closing: make(chan struct{}), stopped: make(chan struct{})}
	go c.loop()
	return c
}

// do runs fn in a group's transaction and returns its error, or the commit's. fn must write
// nothing and return nil for anything it refuses, since an error from fn rolls its group back
// and the others are run again without it, so fn may run more than once.
//
// When ctx ends first, do returns ctx's error at once: the write may still commit later, which
// is why callers report such an outcome as unknown. This is what bounds a stalled disk.
func (c *committer) do(ctx context.Context, fn func(*bolt.Tx) error) error {
	w := &write{fn: fn, done: make(chan error, 1)}
	select {
	case c.queue <- w:
	case <-c.closing:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-w.done:
		return err
	case <-c.stopped:
		// The loop fails or runs everything queued before it stops; a result may be waiting.
		select {
		case err := <-w.done:
			return err
		default:
			return errClosed
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *committer) loop() {
	defer close(c.stopped)
	for {
		var first *write
		select {
		case first = <-c.queue:
		case <-c.closing:
			c.failQueued()
			return
		}
		c.commit(c.gather(first))
	}
}

// gather returns first and the writes queued behind it. Before each look at the queue the loop
// yields the processor once (runtime.Gosched): when every core is busy, the handlers that are
// about to queue a write run first and join this group instead of the next, so a group shares
// its fsyncs among more writes; when the processors are idle, the yield returns at once and a
// lone write commits without waiting. It yields again only while the queue keeps growing.
func (c *committer) gather(first *write) []*write {
	group := []*write{first}
	for len(group) < maxGroup {
		runtime.Gosched()
		n := len(group)
	drain:
		for len(group) < maxGroup {
			select {
			case w := <-c.queue:
				group = append(group, w)
			default:
				break drain
			}
		}
		if len(group) == n {
			return group
		}
	}
	return group
}

// commit runs group in one transaction. When one function fails, the transaction is rolled
// back, that function gets its error from a run of its own, and the rest are committed again
// without it.
func (c *committer) commit(group []*write) {
	for len(group) > 0 {
		failed := -1
		err := c.db.Update(func(tx *bolt.Tx) error {
			for i, w := range group {
				if err := call(w.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, w := range group {
				w.done <- err
			}
			return
		}
		alone := group[failed]
		alone.done <- c.db.Update(func(tx *bolt.Tx) error { return call(alone.fn, tx) })
		group = append(group[:failed:failed], group[failed+1:]...)
	}
}

// call runs fn, turning a panic into an error so one bad write cannot stop the loop.
func call(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("boltstore: write panicked: %v", p)
		}
	}()
	return fn(tx)
}

// failQueued answers every write still queued when the store closes.
func (c *committer) failQueued() {
	for {
		select {
		case w := <-c.queue:
			w.done <- errClosed
		default:
			return
		}
	}
}

// close stops taking writes and waits for the loop to answer what it holds.
func (c *committer) close() {
	c.once.Do(func() { close(c.closing) })
	<-c.stopped
}
