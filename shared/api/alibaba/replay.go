package alibaba

import (
	"sync"
	"time"
)

// defaultReplayEntries bounds the in-memory nonce cache: 65536 entries of ~100 bytes is a few
// MB, more than one Lambda instance sees in a 15-minute window. When it is full the oldest
// entry is dropped; that is safe because the store's nonce claim still refuses the replay.
const defaultReplayEntries = 1 << 16

// replayCache remembers (AccessKeyId, nonce) pairs until their window closes. It is a fast
// first refusal inside one process, not the authority (the store is). Safe for concurrent use.
type replayCache struct {
	mu    sync.Mutex
	max   int
	seen  map[string]time.Time // key -> expiry
	queue []replayEntry        // insertion order, for eviction
}

type replayEntry struct {
	key    string
	expiry time.Time
}

func newReplayCache(max int) *replayCache {
	return &replayCache{max: max, seen: make(map[string]time.Time)}
}

// claim records key until expiry and reports true, or reports false when key is already live
// at now. Check and insert happen under one lock, so two concurrent uses cannot both win.
func (c *replayCache) claim(key string, now, expiry time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.seen[key]; ok && now.Before(exp) {
		return false
	}
	c.prune(now)
	for len(c.seen) >= c.max && len(c.queue) > 0 {
		c.pop()
	}
	c.seen[key] = expiry
	c.queue = append(c.queue, replayEntry{key, expiry})
	return true
}

// prune drops expired entries from the front of the queue. Expiries are not strictly ordered
// (they follow each request's x-acs-date), so an expired entry behind a live one waits for its
// turn; lookups check expiry themselves, so that costs memory, never correctness.
func (c *replayCache) prune(now time.Time) {
	for len(c.queue) > 0 && !now.Before(c.queue[0].expiry) {
		c.pop()
	}
}

// pop removes the oldest queue entry, and its map entry unless the key was claimed again since.
func (c *replayCache) pop() {
	e := c.queue[0]
	c.queue[0] = replayEntry{}
	c.queue = c.queue[1:]
	if exp, ok := c.seen[e.key]; ok && exp.Equal(e.expiry) {
		delete(c.seen, e.key)
	}
}

// len returns how many keys are held (for tests).
func (c *replayCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}
