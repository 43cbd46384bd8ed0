package alibaba

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestReplayCache(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newReplayCache(3)
	steps := []struct {
		name string
		key  string
		at   time.Duration // since t0
		ttl  time.Duration
		want bool
	}{
		{"first use", "a", 0, Window, true},
		{"reuse inside window", "a", time.Minute, Window, false},
		{"other key", "b", time.Minute, Window, true},
		{"reuse at expiry", "a", Window, Window, true},
		{"reused again after reclaim", "a", Window + time.Second, Window, false},
		{"c fills", "c", Window + time.Second, Window, true},
		{"d evicts oldest live", "d", Window + 2*time.Second, Window, true},
	}
	for _, s := range steps {
		if got := c.claim(s.key, t0.Add(s.at), t0.Add(s.at+s.ttl)); got != s.want {
			t.Errorf("%s: got %v, want %v", s.name, got, s.want)
		}
		if n := c.len(); n > 3 {
			t.Errorf("%s: got %d entries, want at most 3", s.name, n)
		}
	}
}

func TestReplayCachePopKeepsReclaimedKey(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newReplayCache(10)
	c.claim("a", t0, t0.Add(time.Minute))
	c.claim("a", t0.Add(time.Minute), t0.Add(time.Hour)) // expired, claimed again
	c.claim("b", t0.Add(2*time.Minute), t0.Add(time.Hour))
	if c.claim("a", t0.Add(3*time.Minute), t0.Add(time.Hour)) {
		t.Errorf("got a accepted after its stale queue entry was pruned, want refused")
	}
}

func TestReplayCacheConcurrent(t *testing.T) {
	now := time.Now()
	c := newReplayCache(1 << 10)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c.claim("same", now, now.Add(Window)) {
				wins.Add(1)
			}
			c.claim(strconv.Itoa(i), now, now.Add(Window))
		}()
	}
	wg.Wait()
	if got := wins.Load(); got != 1 {
		t.Errorf("got %d winners, want 1", got)
	}
}
