package createmultipathgatewaysecretkey

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/handlerbench"
)

// BenchmarkCreate measures a full CreateMultiPathGatewaySecretKey through the handler:
// signature check, decode, validation, key generation, sealing with the local key and one bolt
// write (with fsync). Each request is for a new zone.
func BenchmarkCreate(b *testing.B) {
	handlerbench.Run(b,
		func(b *testing.B) http.Handler { return newEnv(b).h },
		func(b *testing.B, i int) *http.Request {
			return signed(`{"ZoneId":"zone-` + strconv.Itoa(i) + `"}`).HTTP(b)
		},
		func(w *httptest.ResponseRecorder) bool { return tencenttest.CodeOf(w) == "" })
}
