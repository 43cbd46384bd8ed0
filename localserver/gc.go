package localserver

import (
	"math"
	"runtime/debug"
)

// gcPercent is the collector's GOGC for a keyport process: the heap may grow to five times what
// is live before a collection, instead of Go's default of twice. A server's live heap is small
// (a few MiB at rest), so this trades tens of MiB for a quarter to a fifth less CPU per request
// (docs/benchmarks.md, "Issue 17: CPU per request").
const gcPercent = 400

// gcSlack is the memory a process needs besides the request bodies it holds (runtime, bbolt,
// connections' goroutines and buffers): the soft memory limit is twice the body budget plus it.
const gcSlack = 32 << 20

// TuneGC sets the garbage collector of the process that runs cfg: GOGC=400 under a soft memory
// limit of twice the body budget plus 32 MiB, so the heap grows past what GOGC=100 would allow
// only while that leaves room, and never past the bound the body budget was sized for
// (TestHostileBodiesStayWithinMemoryBound). Go's own GOGC and GOMEMLIMIT, when set (read through
// getenv), rule instead: then TuneGC changes nothing. cmd/keyport calls it; a server started
// inside another program (Start) leaves that program's collector alone.
func (c Config) TuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	budget := c.c.bodyBudget
	if budget == 0 {
		budget = defaultBodyBudget
	}
	limit := int64(math.MaxInt64)
	if budget < (math.MaxInt64-gcSlack)/2 {
		limit = 2*budget + gcSlack
	}
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(gcPercent)
}
