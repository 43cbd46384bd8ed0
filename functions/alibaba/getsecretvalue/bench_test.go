package getsecretvalue

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/functions/alibaba/createsecret"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/handlerbench"
)

// BenchmarkGetSecretValue measures one value read through the handler: ACS3 check, two store
// reads, the nonce write and an open with the local key (bolt store). Requests are signed
// before the timer, each with a fresh nonce. GetSecretValue/s is 1e9 / ns/op (serial) or the
// parallel figure's.
func BenchmarkGetSecretValue(b *testing.B) {
	handlerbench.Run(b,
		func(b *testing.B) http.Handler {
			e := at.NewEnv(b)
			at.Create(b, createsecret.Row.Serve(e.Deps(nil)), at.Dev, at.CreateBody("bench", "apikey-123456"))
			return Row.Serve(e.Deps(nil))
		},
		func(b *testing.B, _ int) *http.Request { return valueCall("bench").Request() },
		func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusOK })
}
