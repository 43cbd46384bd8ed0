// Package handlerbench benchmarks a create handler the same way for every operation: requests
// are built (and signed) before the timer starts, then served serially (one commit per create)
// and from 8×GOMAXPROCS goroutines (creates share group commits). Besides ns/op it reports
// cpu-µs/op, the process CPU time (user + system) per create: the figure to hold against the
// "under 50 µs of CPU per create before storage" aim, since fsync waits are not CPU. The figure
// includes the embedded store's own CPU, so it is an upper bound for the work before storage.
package handlerbench

import (
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

// Run benchmarks h. newHandler builds a fresh handler (and store) per sub-benchmark;
// newReq builds the i-th request, which must succeed; ok says whether a response is a success.
func Run(b *testing.B, newHandler func(b *testing.B) http.Handler,
	newReq func(b *testing.B, i int) *http.Request, ok func(*httptest.ResponseRecorder) bool) {
	b.Run("serial", func(b *testing.B) {
		h, reqs := newHandler(b), build(b, newReq)
		Measure(b, func() {
			for _, r := range reqs {
				serve(b, h, r, ok)
			}
		})
	})
	b.Run("parallel", func(b *testing.B) {
		h, reqs := newHandler(b), build(b, newReq)
		next := make(chan *http.Request, len(reqs))
		for _, r := range reqs {
			next <- r
		}
		close(next)
		b.SetParallelism(8)
		Measure(b, func() {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					serve(b, h, <-next, ok)
				}
			})
		})
	})
}

// Measure runs run (which does b.N operations) with the timer on and reports cpu-µs/op.
func Measure(b *testing.B, run func()) {
	b.ReportAllocs()
	before := cpuTime()
	b.ResetTimer()
	run()
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-before).Microseconds())/float64(b.N), "cpu-µs/op")
}

func build(b *testing.B, newReq func(b *testing.B, i int) *http.Request) []*http.Request {
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = newReq(b, i)
	}
	return reqs
}

func serve(b *testing.B, h http.Handler, r *http.Request, ok func(*httptest.ResponseRecorder) bool) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if !ok(w) {
		b.Errorf("create failed: %d %s", w.Code, w.Body)
	}
}

// cpuTime is the user + system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
