package localserver

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkLoad is a short closed-loop load of the real local server (embedded store, local
// key) over loopback: for each operation, `workers` vendor clients each send creates back to
// back for `loadDuration`. It reports creates/s and p50/p99 latency per operation, as seen by
// the client (signing and parsing included). Run it with `make bench` (-benchtime=1x).
func BenchmarkLoad(b *testing.B) {
	const workers = 16
	const loadDuration = 2 * time.Second
	addr, _, stop := startServer(b, 1<<40)
	defer stop()
	var next atomic.Int64 // distinct index per create, across operations and runs
	for _, op := range operations {
		b.Run(op, func(b *testing.B) {
			for range b.N {
				lat, errs := closedLoop(b, addr, op, workers, loadDuration, &next)
				if errs > 0 {
					b.Fatalf("%s: %d failed creates", op, errs)
				}
				slices.Sort(lat)
				b.ReportMetric(float64(len(lat))/loadDuration.Seconds(), "creates/s")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			}
		})
	}
}

// closedLoop runs workers clients of op back to back for d and returns the latency of every
// answer and how many were errors.
func closedLoop(b *testing.B, addr, op string, workers int, d time.Duration, next *atomic.Int64) ([]time.Duration, int) {
	var (
		mu   sync.Mutex
		all  []time.Duration
		errs atomic.Int64
		wg   sync.WaitGroup
	)
	ctx := context.Background()
	end := time.Now().Add(d)
	for w := 0; w < workers; w++ {
		clients := newVendorClients(b, addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(end) {
				i := int(next.Add(1))
				start := time.Now()
				err := clients.create(ctx, op, i, fmt.Sprintf("LoadSecret_%08d_value", i))
				mine = append(mine, time.Since(start)) // every answer: a refusal is an answer too
				if err != nil {
					errs.Add(1)
				}
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, int(errs.Load())
}
