package createapikey

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/operation"
)

// now is the clock of every handler under test except the SDK ones (the SDK signs with the
// real time). It is the time of Tencent's documented example.
var now = time.Date(2020, 2, 26, 6, 10, 1, 0, time.UTC)

// env is the handler on a real bolt store and local-key sealer, served as its function serves
// it (Row.Serve: restricted to what the row declares).
type env struct {
	*tencenttest.Harness
	deps operation.Deps
	h    http.Handler
}

func newEnv(tb testing.TB, limit int64) *env {
	tb.Helper()
	e := &env{Harness: tencenttest.NewHarness(tb)}
	e.deps = operation.Deps{Store: e.Store, Sealer: e.Sealer, Creds: credentials.Dev(), Now: func() time.Time { return now }, KeyLimit: limit}
	e.h = Row.Serve(e.deps)
	return e
}

// signed is a correctly signed CreateApiKey request at now.
func signed(body string) tencenttest.Request {
	return tencenttest.Request{Action: action, Version: tencent.APIGateway.Version, Service: tencent.APIGateway.Service, Body: body, Time: now, Region: "ap-guangzhou"}
}

// serve runs one request and returns the response and its error code.
func (e *env) serve(tb testing.TB, r *http.Request) (*httptest.ResponseRecorder, string) {
	tb.Helper()
	w := tencenttest.Serve(tb, e.h, r)
	return w, tencenttest.Code(tb, w.Body.Bytes())
}

// assertNothingStored checks that no record was stored and no key counted.
func (e *env) assertNothingStored(tb testing.TB) {
	tb.Helper()
	e.AssertEmpty(tb)
	if n, err := e.Store.CounterValue(context.Background(), apikey.CounterRef(credentials.DevTencentAccount)); err != nil || n != 0 {
		tb.Errorf("got key count %d (err %v), want 0", n, err)
	}
}
