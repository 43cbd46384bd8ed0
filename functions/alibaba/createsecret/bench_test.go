package createsecret

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"keyport/shared/handlerbench"
)

// BenchmarkCreate measures one full create through the handler: ACS3 check, decode, validate,
// seal with the local key and a bolt write. Requests are signed before the timer, each with a
// fresh nonce and name.
func BenchmarkCreate(b *testing.B) {
	handlerbench.Run(b,
		func(b *testing.B) http.Handler { return newEnv(b).h },
		func(b *testing.B, i int) *http.Request {
			return call{body: withName("bench_" + strconv.Itoa(i))}.build()()
		},
		func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusOK })
}
