package createapikey

import (
	"net/http"
	"strconv"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
)

// BenchmarkCreate measures a full CreateApiKey through the handler: signature check, decode,
// validation, key generation, sealing with the local key and one bolt write (with fsync).
func BenchmarkCreate(b *testing.B) {
	tencenttest.BenchCreate(b,
		func(b *testing.B) http.Handler { return newEnv(b, 1<<62).h },
		func(b *testing.B, i int) *http.Request {
			return signed(`{"SecretName":"bench` + strconv.Itoa(i) + `","Tags":[{"Key":"k","Value":"v"}]}`).HTTP(b)
		})
}
