package createmultipathgatewaysecretkey

import (
	"net/http"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
)

// TestRouter runs the router's checks through this handler.
func TestRouter(t *testing.T) {
	tencenttest.RouterSuite(t, tencenttest.Action{
		Signed: signed, Body: `{"ZoneId":"zone-27q0p0bal192"}`,
		OtherAction: "CreateApiKey", OtherVersion: "2018-08-08", OtherService: "apigateway",
		New: func(tb testing.TB) (http.Handler, *tencenttest.Harness) { e := newEnv(tb); return e.h, e.Harness },
	})
}
