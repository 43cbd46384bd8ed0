package localserver

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"keyport/shared/motoserver"
)

// BenchmarkFaultSlowBackend is the load of BenchmarkLoad on DynamoDB and KMS (a moto_server of
// its own) reached through a proxy that delays every request to moto, so the time budget's
// effect is measured: with a small delay creates succeed, slower; once a create's calls take
// longer than the budget, every client still gets its answer (the vendor's retryable error)
// at the budget instead of waiting on the backend. It reports, per delay and operation,
// answers/s, p99 latency of every answer, and the share of answers that were errors. Run it
// with `make bench` (-benchtime=1x).
func BenchmarkFaultSlowBackend(b *testing.B) {
	const workers = 4
	const loadDuration = 3 * time.Second
	const writeTimeout = 5 * time.Second // budget 4 s (web.ForWriteTimeout)
	moto := motoserver.Own(b)
	delay := &atomic.Int64{}
	proxy := delayingProxy(b, moto.Endpoint, delay)
	useAWS(b, "http://"+proxy)
	addr, _, stop := startServerWith(b, config{storeKind: "dynamodb", table: "keyport-fault", createTable: true,
		keyLimit: 1 << 40, writeTimeout: writeTimeout})
	defer stop()
	var next atomic.Int64
	for _, d := range []time.Duration{0, 100 * time.Millisecond, 6 * time.Second} {
		delay.Store(int64(d))
		for _, op := range operations {
			b.Run(fmt.Sprintf("delay=%s/%s", d, op), func(b *testing.B) {
				for range b.N {
					lat, errs := closedLoop(b, addr, op, workers, loadDuration, &next)
					slices.Sort(lat)
					b.ReportMetric(float64(len(lat))/loadDuration.Seconds(), "answers/s")
					b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
					b.ReportMetric(100*float64(errs)/float64(len(lat)), "errors-%")
					if lat[len(lat)-1] >= writeTimeout {
						b.Errorf("an answer took %s, past the write timeout %s", lat[len(lat)-1], writeTimeout)
					}
				}
			})
		}
	}
}

// delayingProxy forwards TCP connections to the endpoint's host, holding each chunk the client
// sends (in practice, each request) for the current delay before passing it on.
func delayingProxy(tb testing.TB, endpoint string, delay *atomic.Int64) string {
	tb.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	tb.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				proxyConn(c, u.Host, delay)
			}()
		}
	}()
	return ln.Addr().String()
}

func proxyConn(c net.Conn, target string, delay *atomic.Int64) {
	defer c.Close()
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	go func() { _, _ = io.Copy(c, up); c.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			time.Sleep(time.Duration(delay.Load()))
			if _, werr := up.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
