package createmultipathgatewaysecretkey

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/operation"
)

// now is the clock of every handler under test except the SDK ones (the SDK signs with the
// real time).
var now = time.Date(2025, 10, 30, 22, 2, 22, 0, time.UTC)

// A second caller, to show that zones are per account.
const (
	otherSecretID  = "AKIDkeyportOtherAccount"
	otherSecretKey = "keyportOtherSecretKey"
	otherAccount   = "100000000002"
)

// book is the development book plus the second caller.
func book(tb testing.TB) *credentials.Book {
	tb.Helper()
	b, err := credentials.FromDocument(credentials.Document{Tencent: []credentials.SigningKey{
		{ID: credentials.DevTencentSecretID, Secret: credentials.DevTencentSecretKey, Account: credentials.DevTencentAccount},
		{ID: otherSecretID, Secret: otherSecretKey, Account: otherAccount},
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// env is the handler on a real bolt store and local-key sealer, served as its function serves
// it (Row.Serve: restricted to what the row declares).
type env struct {
	*tencenttest.Harness
	deps operation.Deps
	h    http.Handler
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	e := &env{Harness: tencenttest.NewHarness(tb)}
	e.deps = operation.Deps{Store: e.Store, Sealer: e.Sealer, Creds: book(tb), Now: func() time.Time { return now }}
	e.h = Row.Serve(e.deps)
	return e
}

// signed is a correctly signed request at now, with no region, as the typed teo client sends.
func signed(body string) tencenttest.Request {
	return tencenttest.Request{Action: action, Version: tencent.EdgeOne.Version, Service: tencent.EdgeOne.Service, Body: body, Time: now}
}

// serve runs one request and returns the response and its error code.
func (e *env) serve(tb testing.TB, r *http.Request) (*httptest.ResponseRecorder, string) {
	tb.Helper()
	w := tencenttest.Serve(tb, e.h, r)
	return w, tencenttest.Code(tb, w.Body.Bytes())
}
