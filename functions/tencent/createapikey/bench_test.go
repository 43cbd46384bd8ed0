package createapikey

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/handlerbench"
)

// BenchmarkCreate measures a full CreateApiKey through the handler: signature check, decode,
// validation, key generation, sealing with the local key and one bolt write (with fsync).
func BenchmarkCreate(b *testing.B) {
	handlerbench.Run(b,
		func(b *testing.B) http.Handler { return newEnv(b, 1<<62).h },
		func(b *testing.B, i int) *http.Request {
			return signed(`{"SecretName":"bench` + strconv.Itoa(i) + `","Tags":[{"Key":"k","Value":"v"}]}`).HTTP(b)
		},
		func(w *httptest.ResponseRecorder) bool { return tencenttest.CodeOf(w) == "" })
}
