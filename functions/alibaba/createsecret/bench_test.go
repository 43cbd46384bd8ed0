package createsecret

import (
	"net/http/httptest"
	"strconv"
	"testing"
)

// BenchmarkCreate measures one full create through the handler: signed request, ACS3 check,
// decode, validate, seal with the local key and an fsync'd bolt write. Requests are built and
// signed outside the timer; each has a fresh nonce and name.
func BenchmarkCreate(b *testing.B) {
	e := newEnv(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		r := call{body: withName("bench_" + strconv.Itoa(i))}.build()()
		rec := httptest.NewRecorder()
		b.StartTimer()
		e.h.ServeHTTP(rec, r)
		if rec.Code != 200 {
			b.Fatalf("got %d %s, want 200", rec.Code, rec.Body)
		}
	}
}
