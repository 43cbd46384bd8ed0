package createsecret

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/handlerbench"
)

// BenchmarkCreate measures one create through the whole handler: routing, authentication,
// decoding, validation, sealing with the local key and a bolt commit.
func BenchmarkCreate(b *testing.B) {
	body := with("algorithm", "aes", "bit_length", 256, "mode", "cbc", "expiration", "2031-01-01T00:00:00")
	handlerbench.Run(b,
		func(b *testing.B) http.Handler { return newEnv(b).h },
		func(b *testing.B, i int) *http.Request {
			r := httptest.NewRequest("POST", path, strings.NewReader(body))
			r.Header.Set("Authorization", "APIKey test-token-all")
			r.Header.Set("Content-Type", "application/json")
			return r
		},
		func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusOK })
}
