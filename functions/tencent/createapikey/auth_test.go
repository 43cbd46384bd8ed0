package createapikey

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
)

// TestRouter runs the router's checks through the real handler.
func TestRouter(t *testing.T) {
	tencenttest.RouterSuite(t, tencenttest.Action{
		Signed: signed, Body: `{"SecretName":"n"}`,
		OtherAction: "CreateMultiPathGatewaySecretKey", OtherVersion: "2022-09-01", OtherService: "teo",
		New: func(tb testing.TB) (http.Handler, *tencenttest.Harness) { e := newEnv(tb, 0); return e.h, e.Harness },
		NothingStored: func(tb testing.TB, h *tencenttest.Harness) {
			(&env{Harness: h}).assertNothingStored(tb)
		},
		Golden: map[string]string{"no Authorization": "auth-missing", "timestamp 6 minutes old": "auth-expired",
			"unknown SecretId": "auth-unknown-id", "bad signature": "auth-bad-signature", "GET": "get"},
	})
}

// TestBodyTooLarge checks the 10 MB limit, before anything else is read or checked.
func TestBodyTooLarge(t *testing.T) {
	e := newEnv(t, 0)
	ok := signed(`{"SecretName":"n"}`).HTTP(t)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(make([]byte, 10<<20+1)))
	r.Header = ok.Header
	if w, code := e.serve(t, r); code != "RequestSizeLimitExceeded" {
		t.Fatalf("got code %q, want RequestSizeLimitExceeded (body %s)", code, w.Body)
	}
	e.assertNothingStored(t)
}
