package tally

import (
	"testing"
	"time"
)

func TestDayAndToday(t *testing.T) {
	noon := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	day, next := Today(noon)
	if Day(noon) != day || !next.Equal(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Today(%v) = %d, %v", noon, day, next)
	}
	if Day(next) != day+1 || Day(next.Add(-time.Millisecond)) != day {
		t.Errorf("midnight belongs to the next day, the millisecond before to today")
	}
	if Day(time.Time{}) != Never || Day(time.UnixMilli(-1)) != -1 {
		t.Errorf("Day of zero or before 1970: %d, %d", Day(time.Time{}), Day(time.UnixMilli(-1)))
	}
}
