package pages

import (
	"math"
	"testing"
)

// FuzzBounds: any offset and limit over any total give exactly the window they select
// (nothing past the end, or for a negative offset or a limit below 1), without overflow.
func FuzzBounds(f *testing.F) {
	for _, c := range [][3]int64{{5, 0, 1000}, {5, math.MaxInt64, 1000}, {1000, math.MaxInt64 - 999, math.MaxInt64},
		{3, -1, 2}, {5, 2, math.MaxInt64 - 1}, {5, math.MinInt64, math.MaxInt64}, {5, 0, math.MinInt64}, {0, 0, 0}} {
		f.Add(c[0], c[1], c[2])
	}
	f.Fuzz(func(t *testing.T, total, offset, limit int64) {
		total = max(total, 0)
		lo, hi := Bounds(total, offset, limit)
		var want int64
		if offset >= 0 && offset < total && limit >= 1 {
			want = min(limit, total-offset)
		}
		if lo < 0 || hi > total || hi-lo != want || want > 0 && lo != offset {
			t.Fatalf("total %d, offset %d, limit %d: got [%d, %d), want %d items from %d", total, offset, limit, lo, hi, want, offset)
		}
	})
}
