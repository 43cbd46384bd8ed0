package seal_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"keyport/shared/seal"
)

// clock is a settable time for the cache's ages.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// cached is a Sealer over a counting key wrapper with cache c on a settable clock.
func cached(t *testing.T, c seal.Cache) (*seal.Sealer, *counting, *clock) {
	t.Helper()
	kw, clk := newCounting(t), &clock{t: time.Unix(1_800_000_000, 0)}
	c.Now = clk.now
	return seal.New(kw).WithCache(c), kw, clk
}

// wrappedKey is the wrapped data key a blob names.
func wrappedKey(t *testing.T, blob []byte) string {
	t.Helper()
	n := int(blob[1])<<8 | int(blob[2])
	return string(blob[3 : 3+n])
}

func mustOpen(t *testing.T, s *seal.Sealer, sc seal.Scope, blob []byte) {
	t.Helper()
	got, err := s.Open(t.Context(), sc, testAAD, blob)
	if err != nil || !bytes.Equal(got, testValue) {
		t.Fatalf("Open: got %q, %v, want %q", got, err, testValue)
	}
}

var long = seal.Cache{Entries: 100, SealUses: 1 << 20, SealAge: time.Hour, OpenAge: time.Hour}

func TestCacheSealUses(t *testing.T) {
	c := long
	c.SealUses = 3
	s, kw, _ := cached(t, c)
	var names []string
	for range 7 {
		names = append(names, wrappedKey(t, mustSeal(t, s, testValue)))
	}
	if g, _ := kw.calls(); g != 3 {
		t.Errorf("7 seals with seal-uses=3: got %d GenerateDataKey calls, want 3", g)
	}
	for i, want := range []int{0, 0, 0, 3, 3, 3, 6} {
		if names[i] != names[want] {
			t.Errorf("seal %d: names a different wrapped key than seal %d, want the same", i, want)
		}
	}
	if names[0] == names[3] || names[3] == names[6] {
		t.Errorf("a data key sealed more than 3 values")
	}
}

func TestCacheSealAge(t *testing.T) {
	c := long
	c.SealAge = time.Minute
	s, kw, clk := cached(t, c)
	a := wrappedKey(t, mustSeal(t, s, testValue))
	clk.add(time.Minute - time.Second)
	b := wrappedKey(t, mustSeal(t, s, testValue))
	clk.add(time.Second)
	d := wrappedKey(t, mustSeal(t, s, testValue))
	if g, _ := kw.calls(); g != 2 || a != b || b == d {
		t.Errorf("seals at 0s, 59s, 60s with seal-age=1m: got %d GenerateDataKey calls (same key %v, %v), want 2 (true, false)", g, a == b, b == d)
	}
}

func TestCacheOpenAge(t *testing.T) {
	c := long
	c.OpenAge = time.Minute
	s, kw, clk := cached(t, c)
	blob := mustSeal(t, s, testValue)
	mustOpen(t, s, testScope, blob)
	clk.add(time.Minute - time.Second)
	mustOpen(t, s, testScope, blob)
	if _, d := kw.calls(); d != 1 {
		t.Errorf("two opens within open-age: got %d Decrypt calls, want 1", d)
	}
	clk.add(time.Second)
	mustOpen(t, s, testScope, blob)
	if _, d := kw.calls(); d != 2 {
		t.Errorf("an open at open-age: got %d Decrypt calls in all, want 2", d)
	}
}

// TestCacheOpenShared: values sealed under one cached data key open with one Decrypt.
func TestCacheOpenShared(t *testing.T) {
	s, kw, _ := cached(t, long)
	blobs := [][]byte{mustSeal(t, s, testValue), mustSeal(t, s, testValue), mustSeal(t, s, testValue)}
	for _, b := range blobs {
		mustOpen(t, s, testScope, b)
	}
	if g, d := kw.calls(); g != 1 || d != 1 {
		t.Errorf("3 seals and 3 opens: got %d GenerateDataKey and %d Decrypt calls, want 1 and 1", g, d)
	}
}

func TestCacheEntries(t *testing.T) {
	c := long
	c.Entries = 2
	s, kw, _ := cached(t, c)
	scopes := []seal.Scope{{Service: "s", Tenant: "a"}, {Service: "s", Tenant: "b"}, {Service: "s", Tenant: "c"}}
	blobs := map[string][]byte{}
	seal1 := func(sc seal.Scope) {
		b, err := s.Seal(t.Context(), sc, testAAD, testValue)
		if err != nil {
			t.Fatal(err)
		}
		blobs[sc.Tenant] = b
	}
	seal1(scopes[0])
	seal1(scopes[1])
	seal1(scopes[0])
	seal1(scopes[1])
	if g, _ := kw.calls(); g != 2 {
		t.Fatalf("a, b, a, b with entries=2: got %d GenerateDataKey calls, want 2", g)
	}
	seal1(scopes[2]) // c makes room by dropping a, the oldest
	seal1(scopes[0])
	if g, _ := kw.calls(); g != 4 {
		t.Errorf("then c, a: got %d GenerateDataKey calls in all, want 4", g)
	}
	for _, sc := range scopes {
		mustOpen(t, s, sc, blobs[sc.Tenant])
	}
	mustOpen(t, s, scopes[0], blobs["a"]) // a was dropped when c entered
	if _, d := kw.calls(); d != 4 {
		t.Errorf("open a, b, c, a with entries=2: got %d Decrypt calls, want 4", d)
	}
}

// TestCacheContextsApart: each encryption context gets its own data key, a cached key is
// never handed to an Open in another context, and every blob opens on an uncached Sealer.
func TestCacheContextsApart(t *testing.T) {
	s, kw, _ := cached(t, long)
	other := seal.Scope{Service: testScope.Service, Tenant: testScope.Tenant + "0"}
	a, b := mustSeal(t, s, testValue), mustSeal(t, s, testValue)
	x, err := s.Seal(t.Context(), other, testAAD, testValue)
	if err != nil {
		t.Fatal(err)
	}
	if wrappedKey(t, a) != wrappedKey(t, b) || wrappedKey(t, a) == wrappedKey(t, x) {
		t.Errorf("got one data key per seal or one across contexts, want one per context")
	}
	mustOpen(t, s, testScope, a) // a's key is cached now, for testScope only
	_, before := kw.calls()
	if got, err := s.Open(t.Context(), other, testAAD, a); !errors.Is(err, seal.ErrOpen) || got != nil {
		t.Errorf("open in another context: got %q, %v, want ErrOpen", got, err)
	}
	if _, d := kw.calls(); d != before+1 {
		t.Errorf("open in another context: got %d Decrypt calls, want 1 (refused by the key wrapper, not served from the cache)", d-before)
	}
	if _, err := s.Open(t.Context(), testScope, []byte("another record"), b); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("open from the cache with another record's AAD: got %v, want ErrOpen", err)
	}
	plain := seal.New(kw)
	mustOpen(t, plain, testScope, b)
	mustOpen(t, plain, other, x)
}

// TestCacheZeroesKeys: a data key is zeroed when it leaves either cache, and not before.
func TestCacheZeroesKeys(t *testing.T) {
	c := long
	c.SealUses, c.SealAge, c.OpenAge = 2, time.Minute, time.Minute
	s, kw, clk := cached(t, c)
	zero := func(i int) bool { return bytes.Count(kw.handedOut[i], []byte{0}) == len(kw.handedOut[i]) }
	blob := mustSeal(t, s, testValue)
	if zero(0) {
		t.Fatal("a cached sealing key was zeroed while in the cache")
	}
	mustSeal(t, s, testValue) // its second and last use
	if !zero(0) {
		t.Error("a sealing key whose uses are spent was not zeroed")
	}
	mustOpen(t, s, testScope, blob)
	if zero(1) {
		t.Fatal("a cached unwrapped key was zeroed while in the cache")
	}
	clk.add(time.Minute)
	mustSeal(t, s, testValue) // any call drops what has aged out
	if !zero(1) {
		t.Error("an unwrapped key past open-age was not zeroed")
	}
}

// TestCacheRestrict: a restricted Sealer shares its parent's cache for the calls it may make
// and never serves a refused call from it.
func TestCacheRestrict(t *testing.T) {
	s, kw, _ := cached(t, long)
	blob := mustSeal(t, s, testValue)
	mustOpen(t, s, testScope, blob)
	none := s.Restrict(false, false)
	if _, err := none.Seal(t.Context(), testScope, testAAD, testValue); !errors.Is(err, seal.ErrUndeclared) {
		t.Errorf("Seal on a Sealer that may not seal, with a cached key: got %v, want ErrUndeclared", err)
	}
	if got, err := none.Open(t.Context(), testScope, testAAD, blob); !errors.Is(err, seal.ErrOpen) || got != nil {
		t.Errorf("Open on a Sealer that may not open, with a cached key: got %q, %v, want ErrOpen", got, err)
	}
	if _, err := s.Restrict(true, false).Restrict(true, true).Open(t.Context(), testScope, testAAD, blob); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("Restrict cannot widen: Open got %v, want ErrOpen", err)
	}
	mustSeal(t, s.Restrict(true, false), testValue)
	mustOpen(t, s.Restrict(false, true), testScope, blob)
	if g, d := kw.calls(); g != 1 || d != 1 {
		t.Errorf("restricted Sealers: got %d GenerateDataKey and %d Decrypt calls, want 1 and 1 (from the shared cache)", g, d)
	}
}

func TestCacheOff(t *testing.T) {
	off, err := seal.ParseCache("off")
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]seal.Cache{"off": off, "one use": {Entries: 9, SealUses: 1, SealAge: time.Hour}} {
		kw := newCounting(t)
		s := seal.New(kw).WithCache(c)
		blob := mustSeal(t, s, testValue)
		mustSeal(t, s, testValue)
		mustOpen(t, s, testScope, blob)
		mustOpen(t, s, testScope, blob)
		if g, d := kw.calls(); g != 2 || (name == "off" && d != 2) {
			t.Errorf("%s: 2 seals and 2 opens got %d GenerateDataKey and %d Decrypt calls, want 2 and 2", name, g, d)
		}
	}
}

func TestParseCache(t *testing.T) {
	tests := []struct {
		in   string
		want seal.Cache
		err  string
	}{
		{"", seal.DefaultCache, ""},
		{"off", seal.Cache{}, ""},
		{"seal-uses=10, open-age=30s", seal.Cache{Entries: 1000, SealUses: 10, SealAge: 5 * time.Minute, OpenAge: 30 * time.Second}, ""},
		{"entries=0", seal.Cache{SealUses: 1000, SealAge: 5 * time.Minute, OpenAge: 5 * time.Minute}, ""},
		{"entries=-1", seal.Cache{}, "entries"},
		{"seal-uses=5000000000", seal.Cache{}, "seal-uses"},
		{"seal-age=soon", seal.Cache{}, "seal-age"},
		{"open-age=-1s", seal.Cache{}, "open-age"},
		{"size=1", seal.Cache{}, "size"},
	}
	for _, tt := range tests {
		got, err := seal.ParseCache(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseCache(%q): got %v, want an error naming %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || limits(got) != limits(tt.want) {
			t.Errorf("ParseCache(%q): got %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
	if got, _ := seal.ParseCache(seal.DefaultCache.String()); got.String() != seal.DefaultCache.String() {
		t.Errorf("ParseCache(DefaultCache.String()): got %v, want %v", got, seal.DefaultCache)
	}
}

// limits are a Cache's bounds, comparable.
func limits(c seal.Cache) [4]any { return [4]any{c.Entries, c.SealUses, c.SealAge, c.OpenAge} }

// TestCacheConcurrent: seals and opens racing on small limits all round-trip (run with -race).
func TestCacheConcurrent(t *testing.T) {
	c := long
	c.Entries, c.SealUses = 2, 3
	s, _, _ := cached(t, c)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			sc := seal.Scope{Service: "s", Tenant: fmt.Sprint(i % 3)}
			for range 20 {
				b, err := s.Seal(t.Context(), sc, testAAD, testValue)
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := s.Open(t.Context(), sc, testAAD, b); err != nil || !bytes.Equal(got, testValue) {
					t.Errorf("Open: got %q, %v", got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestCacheOneSide: a cache for seals only or opens only serves the one and leaves the other
// to KMS on every call.
func TestCacheOneSide(t *testing.T) {
	sealsOnly, opensOnly := long, long
	sealsOnly.OpenAge, opensOnly.SealUses = 0, 1
	for name, tt := range map[string]struct {
		c            seal.Cache
		wantG, wantD int
	}{"seals only": {sealsOnly, 1, 2}, "opens only": {opensOnly, 2, 1}} {
		s, kw, _ := cached(t, tt.c)
		a := mustSeal(t, s, testValue)
		mustSeal(t, s, testValue)
		mustOpen(t, s, testScope, a)
		mustOpen(t, s, testScope, a)
		if g, d := kw.calls(); g != tt.wantG || d != tt.wantD {
			t.Errorf("%s: 2 seals and 2 opens got %d GenerateDataKey and %d Decrypt calls, want %d and %d", name, g, d, tt.wantG, tt.wantD)
		}
	}
}
