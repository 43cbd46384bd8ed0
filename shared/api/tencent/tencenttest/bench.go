package tencenttest

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// BenchCreate benchmarks a create through h, one request after another ("serial") and from
// GOMAXPROCS×8 goroutines ("parallel", where the bolt store's group commit shows). newReq(i)
// builds the i-th signed request; all are built before the timer starts, so signing is not
// measured. Every response must be a success.
func BenchCreate(b *testing.B, newHandler func(b *testing.B) http.Handler, newReq func(b *testing.B, i int) *http.Request) {
	b.Run("serial", func(b *testing.B) {
		h, reqs := newHandler(b), build(b, newReq)
		b.ReportAllocs()
		b.ResetTimer()
		for _, r := range reqs {
			serveOK(b, h, r)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		h, reqs := newHandler(b), build(b, newReq)
		var next atomic.Int64
		b.SetParallelism(8)
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				serveOK(b, h, reqs[next.Add(1)-1])
			}
		})
	})
}

func build(b *testing.B, newReq func(b *testing.B, i int) *http.Request) []*http.Request {
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = newReq(b, i)
	}
	return reqs
}

func serveOK(b *testing.B, h http.Handler, r *http.Request) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if code := CodeOf(w); code != "" {
		b.Errorf("got code %q, want success", code)
	}
}
