package seal

import (
	"container/list"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cache bounds how a Sealer reuses data keys, as the AWS Encryption SDK's caching materials
// manager does: a generated data key seals at most SealUses values within SealAge of its
// generation, one key per encryption context; a data key unwrapped for an Open is kept for
// OpenAge so that the next value sealed under the same wrapped key opens without a Decrypt.
// Each cache holds at most Entries keys and zeroes a key when it leaves (its age or uses are
// spent, or the oldest makes room). Every blob still holds its own wrapped key, and the
// associated data still binds it to its record, whatever the cache did.
//
// The zero Cache is off: one GenerateDataKey per Seal and one Decrypt per Open. Why the
// defaults are what they are: docs/deploy.md, "Data-key cache".
type Cache struct {
	Entries  int           // keys each of the two caches holds at most; 0: both off
	SealUses int           // values one generated data key seals at most; 0 or 1: sealing cache off
	SealAge  time.Duration // how long a generated data key seals; 0: sealing cache off
	OpenAge  time.Duration // how long an unwrapped data key is kept for Opens; 0: opening cache off

	// Now is the clock the ages are measured on; nil means time.Now. Tests set it.
	Now func() time.Time
}

// DefaultCache is the cache the Lambda functions and the local server use unless told
// otherwise: see docs/deploy.md, "Data-key cache".
var DefaultCache = Cache{Entries: 1000, SealUses: 1000, SealAge: 5 * time.Minute, OpenAge: 5 * time.Minute}

// maxSealUses keeps random 96-bit GCM nonces far from colliding under one key (NIST SP
// 800-38D allows 2^32 random nonces per key).
const maxSealUses = 1 << 32

// ParseCache reads a cache setting as an operator writes it: "off" (one data key per value),
// "" (DefaultCache), or comma-separated fields overriding DefaultCache, e.g.
// "entries=500,seal-uses=100,seal-age=1m,open-age=30s". It names the field it cannot read.
func ParseCache(s string) (Cache, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return Cache{}, nil
	}
	c := DefaultCache
	if s == "" {
		return c, nil
	}
	for _, field := range strings.Split(s, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(field), "=")
		if err := c.set(name, value); err != nil {
			return Cache{}, fmt.Errorf("key cache %s: %w", name, err)
		}
	}
	return c, nil
}

// set assigns one field of a ParseCache setting.
func (c *Cache) set(name, value string) error {
	switch name {
	case "entries", "seal-uses":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > maxSealUses {
			return fmt.Errorf("want an integer from 0 to %d, got %q", maxSealUses, value)
		}
		if name == "entries" {
			c.Entries = n
		} else {
			c.SealUses = n
		}
	case "seal-age", "open-age":
		d, err := time.ParseDuration(value)
		if err != nil || d < 0 {
			return fmt.Errorf("want a duration such as 5m, got %q", value)
		}
		if name == "seal-age" {
			c.SealAge = d
		} else {
			c.OpenAge = d
		}
	default:
		return fmt.Errorf("unknown field (want entries, seal-uses, seal-age or open-age)")
	}
	return nil
}

// String is the setting in ParseCache's syntax.
func (c Cache) String() string {
	if c.Entries == 0 {
		return "off"
	}
	return fmt.Sprintf("entries=%d,seal-uses=%d,seal-age=%s,open-age=%s", c.Entries, c.SealUses, c.SealAge, c.OpenAge)
}

func (c Cache) seals() bool { return c.Entries > 0 && c.SealUses > 1 && c.SealAge > 0 }
func (c Cache) opens() bool { return c.Entries > 0 && c.OpenAge > 0 }

// keyCaches is one Sealer's two caches, shared with the Sealers Restrict derives from it.
type keyCaches struct {
	mu        sync.Mutex
	limits    Cache
	now       func() time.Time
	sealing   *keyList[Scope]   // one generated data key per encryption context
	unwrapped *keyList[openKey] // unwrapped data keys by context and wrapped key
}

// openKey names an unwrapped data key: the encryption context is part of the name, so a
// wrapped key unwrapped for one context is never handed to an Open in another.
type openKey struct {
	scope   Scope
	wrapped string
}

func newKeyCaches(c Cache) *keyCaches {
	if c.Entries > maxSealUses {
		c.Entries = maxSealUses
	}
	c.SealUses = min(c.SealUses, maxSealUses)
	kc := &keyCaches{limits: c, now: c.Now}
	if kc.now == nil {
		kc.now = time.Now
	}
	if c.seals() {
		kc.sealing = newKeyList[Scope](c.Entries, c.SealAge)
	}
	if c.opens() {
		kc.unwrapped = newKeyList[openKey](c.Entries, c.OpenAge)
	}
	return kc
}

// sealKey returns a copy of scope's cached data key and its wrapped form, counting one use,
// or ok false when none is usable (the caller then generates one and calls keepSealKey).
func (kc *keyCaches) sealKey(scope Scope) (key, wrapped []byte, ok bool) {
	if kc == nil || kc.sealing == nil {
		return nil, nil, false
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	e := kc.sealing.get(scope, kc.expire())
	if e == nil {
		return nil, nil, false
	}
	e.uses++
	key, wrapped = clone(e.key), e.wrapped
	if e.uses >= kc.limits.SealUses {
		kc.sealing.remove(e) // spent: zeroed now, not at the next miss
	}
	return key, wrapped, true
}

// keepSealKey caches a freshly generated data key, already used once, for scope's next seals,
// and reports whether it did; the cache then owns key (and zeroes it when it leaves).
func (kc *keyCaches) keepSealKey(scope Scope, key, wrapped []byte) bool {
	if kc == nil || kc.sealing == nil {
		return false
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	kc.sealing.put(scope, &keyEntry[Scope]{key: key, wrapped: clone(wrapped), uses: 1}, kc.expire())
	return true
}

// openKey returns a copy of the data key cached for wrapped in scope, if any.
func (kc *keyCaches) openKey(scope Scope, wrapped []byte) ([]byte, bool) {
	if kc == nil || kc.unwrapped == nil {
		return nil, false
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	e := kc.unwrapped.get(openKey{scope, string(wrapped)}, kc.expire())
	if e == nil {
		return nil, false
	}
	return clone(e.key), true
}

// keepOpenKey caches an unwrapped data key and reports whether it did; the cache then owns key
// (and zeroes it when it leaves).
func (kc *keyCaches) keepOpenKey(scope Scope, wrapped, key []byte) bool {
	if kc == nil || kc.unwrapped == nil {
		return false
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	kc.unwrapped.put(openKey{scope, string(wrapped)}, &keyEntry[openKey]{key: key}, kc.expire())
	return true
}

// expire drops (and zeroes) the keys of both caches whose age is spent, so that a key leaves
// at the first call past its age whichever cache that call uses, and returns the time now.
func (kc *keyCaches) expire() time.Time {
	now := kc.now()
	if kc.sealing != nil {
		kc.sealing.expire(now)
	}
	if kc.unwrapped != nil {
		kc.unwrapped.expire(now)
	}
	return now
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// keyList is a bounded map of data keys in the order they entered: since every entry lives the
// same age from its entry, the expired ones are always the oldest, at the front.
type keyList[K comparable] struct {
	max   int
	age   time.Duration
	order *list.List // of *keyEntry[K], oldest first
	byKey map[K]*list.Element
}

type keyEntry[K comparable] struct {
	name    K
	key     []byte // the plaintext data key, zeroed when the entry leaves
	wrapped []byte
	uses    int
	born    time.Time
}

func newKeyList[K comparable](max int, age time.Duration) *keyList[K] {
	return &keyList[K]{max: max, age: age, order: list.New(), byKey: map[K]*list.Element{}}
}

// get drops the expired entries, then returns name's entry or nil.
func (l *keyList[K]) get(name K, now time.Time) *keyEntry[K] {
	l.expire(now)
	if el, ok := l.byKey[name]; ok {
		return el.Value.(*keyEntry[K])
	}
	return nil
}

// put adds e under name, replacing name's entry and making room by dropping the oldest.
func (l *keyList[K]) put(name K, e *keyEntry[K], now time.Time) {
	l.expire(now)
	if el, ok := l.byKey[name]; ok {
		l.remove(el.Value.(*keyEntry[K]))
	}
	for l.order.Len() >= l.max {
		l.remove(l.order.Front().Value.(*keyEntry[K]))
	}
	e.name, e.born = name, now
	l.byKey[name] = l.order.PushBack(e)
}

// expire drops every entry whose age is spent.
func (l *keyList[K]) expire(now time.Time) {
	for el := l.order.Front(); el != nil; el = l.order.Front() {
		e := el.Value.(*keyEntry[K])
		if now.Sub(e.born) < l.age {
			return
		}
		l.remove(e)
	}
}

// remove drops e and zeroes its key.
func (l *keyList[K]) remove(e *keyEntry[K]) {
	if el, ok := l.byKey[e.name]; ok && el.Value == e {
		l.order.Remove(el)
		delete(l.byKey, e.name)
	}
	clear(e.key)
}
