package getsecret

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/shared/handlerbench"
)

// BenchmarkGet measures one secret read through the whole handler: routing, authentication,
// a bolt read and rendering. gets/s is 1e9 / ns/op (serial) per core.
func BenchmarkGet(b *testing.B) {
	handlerbench.Run(b,
		func(b *testing.B) http.Handler {
			_, h := seed(b)
			return h
		},
		func(b *testing.B, i int) *http.Request {
			r := httptest.NewRequest("GET", "/cloud/v1/secrets/1/76/"+idP1R76, nil)
			r.Header.Set("Authorization", "APIKey test-token-all")
			return r
		},
		func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusOK })
}
