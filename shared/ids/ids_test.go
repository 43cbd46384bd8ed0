package ids

import (
	"sort"
	"strings"
	"testing"
	"time"
)

const digitsLower = "0123456789abcdefghijklmnopqrstuvwxyz"

func TestRandomUsesEveryCharacterEvenly(t *testing.T) {
	const n = 360000
	s := Random(digitsLower, n)
	if len(s) != n {
		t.Fatalf("got %d characters, want %d", len(s), n)
	}
	counts := map[rune]int{}
	for _, c := range s {
		counts[c]++
	}
	if len(counts) != len(digitsLower) {
		t.Fatalf("got %d distinct characters, want %d", len(counts), len(digitsLower))
	}
	// 10000 expected per character; 5 standard deviations (about 490) either side.
	for c, k := range counts {
		if k < 9500 || k > 10500 {
			t.Errorf("character %q drawn %d times, want about 10000", c, k)
		}
	}
}

func TestTimeOrderedSortsByMillisecond(t *testing.T) {
	start := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	var got []string
	for i := range 200 {
		got = append(got, TimeOrdered("sec-", digitsLower, 9, 11, start.Add(time.Duration(i*i)*time.Millisecond)))
	}
	if !sort.StringsAreSorted(got) {
		t.Fatalf("ids drawn in time order do not sort: %q", got[:5])
	}
	for _, id := range got {
		if len(id) != 4+9+11 || !strings.HasPrefix(id, "sec-") || strings.Trim(id[4:], digitsLower) != "" {
			t.Fatalf("got %q, want sec- and 20 of %s", id, digitsLower)
		}
	}
	if a, b := TimeOrdered("", digitsLower, 9, 11, start), TimeOrdered("", digitsLower, 9, 11, start); a == b || a[:9] != b[:9] {
		t.Errorf("two ids of one millisecond: %q and %q, want the same time part and different random parts", a, b)
	}
}

func TestTimeOrderedTimePartRoundTrips(t *testing.T) {
	at := time.UnixMilli(1_796_169_600_123) // 2026-12-02
	id := TimeOrdered("", digitsLower, 9, 0, at)
	var ms int64
	for _, c := range id {
		ms = ms*36 + int64(strings.IndexRune(digitsLower, c))
	}
	if ms != at.UnixMilli() {
		t.Errorf("time part %q decodes to %d, want %d", id, ms, at.UnixMilli())
	}
}
