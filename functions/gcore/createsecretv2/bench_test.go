package createsecretv2

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/handlerbench"
)

// BenchmarkCreate measures one v2 create through the whole handler: routing, authentication,
// decoding, parsing the certificate, chain and P-256 key and matching them, sealing with the
// local key and a bolt commit.
func BenchmarkCreate(b *testing.B) {
	var body string
	handlerbench.Run(b,
		func(b *testing.B) http.Handler {
			e := newEnv(b)
			body = e.pki.body()
			return e.h
		},
		func(b *testing.B, i int) *http.Request {
			r := httptest.NewRequest("POST", path, strings.NewReader(body))
			r.Header.Set("Authorization", "APIKey test-token-all")
			r.Header.Set("Content-Type", "application/json")
			return r
		},
		func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusOK })
}
