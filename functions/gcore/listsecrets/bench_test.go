package listsecrets

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/handlerbench"
)

// BenchmarkList1000 measures the latency of one full page: 1000 secrets read from bolt's
// creation index and rendered through the whole handler (routing, authentication, query
// decoding).
func BenchmarkList1000(b *testing.B) {
	handlerbench.Run(b,
		func(b *testing.B) http.Handler {
			e := newEnv(b)
			e.seed(b, gcore.Scope{Project: 1, Region: 76}, 0, 1000)
			return e.h
		},
		func(b *testing.B, i int) *http.Request {
			r := httptest.NewRequest("GET", "/cloud/v1/secrets/1/76?limit=1000", nil)
			r.Header.Set("Authorization", "APIKey test-token-all")
			return r
		},
		func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusOK && w.Body.Len() > 200000 })
}
