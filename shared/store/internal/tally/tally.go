// Package tally is how the drivers count an indexed collection's live records without reading
// them, although records expire without a write (docs/store.md, "Counts").
//
// A driver keeps one counter per collection and expiry day: a record is added to the counter
// of the UTC day it expires in (Never when it does not expire) when it is written, and taken
// off when it is deleted or replaced. At any instant, every record of a later day is live and
// every record of an earlier day is expired, whether or not anything has deleted it yet (a
// DynamoDB TTL deletion, which moves no counter, only ever removes records of earlier days or
// expired ones of today). So the live count is the Never counter, plus the counters of the days
// after today, plus the records of today that have not expired yet, which the driver reads from
// its expiry index: only those expiring between now and midnight.
package tally

import "time"

// Never is the day of records that do not expire.
const Never int64 = 1<<63 - 1

const dayMillis = 24 * 60 * 60 * 1000

// Day is the counter a record expiring at exp belongs to.
func Day(exp time.Time) int64 {
	if exp.IsZero() {
		return Never
	}
	return floorDiv(exp.UnixMilli(), dayMillis)
}

// Today is the day of now, and the instant the next day starts: the records of today that are
// still live expire after now and before next.
func Today(now time.Time) (day int64, next time.Time) {
	day = floorDiv(now.UnixMilli(), dayMillis)
	return day, time.UnixMilli((day + 1) * dayMillis).UTC()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
