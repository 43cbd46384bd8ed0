package describeapikey_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/handlerbench"
)

// BenchmarkDescribeApiKey measures a DescribeApiKey through the service's handler on the
// embedded store and local key: signature check, decode, one bolt read, one open.
func BenchmarkDescribeApiKey(b *testing.B) {
	var e *lifecycletest.Env
	handlerbench.Run(b,
		func(b *testing.B) http.Handler {
			e, _ = lifecycletest.Local(b, now, 0)
			e.Create(b, lifecycletest.Dev, manual)
			return e.Handler("DescribeApiKey")
		},
		func(b *testing.B, i int) *http.Request {
			return e.Request(b, lifecycletest.Dev, "DescribeApiKey", `{"AccessKeyId":"my_key_id"}`)
		},
		func(w *httptest.ResponseRecorder) bool { return tencenttest.CodeOf(w) == "" })
}
