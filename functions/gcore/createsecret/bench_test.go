package createsecret

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkCreate measures one create through the whole handler: routing, authentication,
// decoding, validation, sealing with the local key and a bolt commit (with fsync).
func BenchmarkCreate(b *testing.B) {
	e := newEnv(b)
	h := e.h
	body := with("algorithm", "aes", "bit_length", 256, "mode", "cbc", "expiration", "2031-01-01T00:00:00")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("Authorization", "APIKey test-token-all")
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("got %d %s", w.Code, w.Body)
		}
	}
}
