package localserver

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkLoadGcoreReads measures Gcore's reads on the real local server over loopback, with
// requests sent as GC-go sends them: secret GETs/s and their p50/p99 from 16 closed-loop
// clients for 2 s, then the latency of listing a full 1000-secret page (p50/p99 of 50 lists).
// Run it with `make bench` (-benchtime=1x).
func BenchmarkLoadGcoreReads(b *testing.B) {
	const workers, secrets, lists = 16, 1000, 50
	const loadDuration = 2 * time.Second
	addr, _, stop := startServer(b, 1<<40)
	defer stop()
	// One kept-alive connection per worker, as a client pool would hold; the default two idle
	// connections per host would measure TCP set-up instead.
	c := gcoreSDK{t: b, base: "http://" + addr, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}}
	ids := make([]string, secrets)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < secrets; i += workers {
				ids[i] = gcoreCreateAndPoll(c, i)
			}
		}()
	}
	wg.Wait()
	for range b.N {
		b.Run("get", func(b *testing.B) {
			var next atomic.Int64
			lat, failed := closedLoopReads(workers, loadDuration, func() bool {
				return c.do("GET", "/cloud/v1/secrets/1/76/"+ids[int(next.Add(1))%secrets], nil, nil) == 200
			})
			if failed > 0 {
				b.Fatalf("%d GETs failed", failed)
			}
			report(b, lat, loadDuration, "gets/s")
		})
		b.Run("list1000", func(b *testing.B) {
			lat := make([]time.Duration, lists)
			for i := range lists {
				var page struct{ Results []struct{} }
				start := time.Now()
				if c.do("GET", "/cloud/v1/secrets/1/76?limit=1000", nil, &page); len(page.Results) != secrets {
					b.Fatalf("got %d results, want %d", len(page.Results), secrets)
				}
				lat[i] = time.Since(start)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// gcoreCreateAndPoll creates the i-th secret and returns its id, as GC-go's NewAndPoll does.
func gcoreCreateAndPoll(c gcoreSDK, i int) string {
	var created struct{ Tasks []string }
	c.do("POST", "/cloud/v1/secrets/1/76", map[string]any{"name": fmt.Sprintf("s%d", i),
		"payload": base64.StdEncoding.EncodeToString([]byte("bench")), "payload_content_encoding": "base64",
		"payload_content_type": "application/octet-stream", "secret_type": "opaque"}, &created)
	return c.poll(created.Tasks[0]).CreatedResources["secrets"][0]
}

// closedLoopReads runs call back to back from workers goroutines for d and returns the
// latencies of the calls that succeeded and how many failed.
func closedLoopReads(workers int, d time.Duration, call func() bool) ([]time.Duration, int) {
	var mu sync.Mutex
	var all []time.Duration
	var failed atomic.Int64
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(end) {
				start := time.Now()
				if !call() {
					failed.Add(1)
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, int(failed.Load())
}

// report adds the rate and p50/p99 of lat to b.
func report(b *testing.B, lat []time.Duration, d time.Duration, unit string) {
	if len(lat) == 0 {
		b.Fatal("no call succeeded")
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/d.Seconds(), unit)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
