package pagestest

import (
	"context"
	"sync"

	"keyport/shared/store"
)

// Capture is a store.Store whose Apply keeps the puts of every transaction instead of writing
// them (and answers nil), so that records built by the create operations themselves, through
// their handlers, can be written to a store in large transactions by Flush: a tenant of
// 100,000 secrets is seeded in seconds, with records exactly as the creates write them. Reads
// pass through to the wrapped store. Counter moves (quotas) are dropped: a seeded tenant may
// hold more keys than a quota allows, which is what a large-tenant benchmark needs.
type Capture struct {
	store.Store
	mu   sync.Mutex
	puts []store.Action
}

// NewCapture wraps s.
func NewCapture(s store.Store) *Capture { return &Capture{Store: s} }

// Apply keeps tx's puts.
func (c *Capture) Apply(_ context.Context, tx store.Tx) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range tx {
		if a.Put != nil {
			c.puts = append(c.puts, a)
		}
	}
	return nil
}

// Len is how many puts are waiting.
func (c *Capture) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.puts)
}

// Flush writes the kept puts to to, batch actions per transaction, and forgets them.
func (c *Capture) Flush(ctx context.Context, to store.Store, batch int) error {
	c.mu.Lock()
	puts := c.puts
	c.puts = nil
	c.mu.Unlock()
	for lo := 0; lo < len(puts); lo += batch {
		if err := to.Apply(ctx, store.Tx(puts[lo:min(lo+batch, len(puts))])); err != nil {
			return err
		}
	}
	return nil
}
