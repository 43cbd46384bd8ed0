package describeapikeysstatus_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/handlerbench"
)

// BenchmarkDescribeApiKeysStatus100 measures a page of 100 keys (of 100) through the service's
// handler on the embedded store and local key: a window of the creation index, a sort, 100
// reads of the keys and 100 opens.
func BenchmarkDescribeApiKeysStatus100(b *testing.B) {
	var e *lifecycletest.Env
	handlerbench.Run(b,
		func(b *testing.B) http.Handler {
			e, _ = lifecycletest.Local(b, now, 0)
			for i := range 100 {
				e.Create(b, lifecycletest.Dev, `{"SecretName":"k`+strconv.Itoa(i)+`"}`)
			}
			return e.Handler("DescribeApiKeysStatus")
		},
		func(b *testing.B, i int) *http.Request {
			return e.Request(b, lifecycletest.Dev, "DescribeApiKeysStatus", `{"Limit":100}`)
		},
		func(w *httptest.ResponseRecorder) bool { return tencenttest.CodeOf(w) == "" })
}
