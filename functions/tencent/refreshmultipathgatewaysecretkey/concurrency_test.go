package refreshmultipathgatewaysecretkey_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
)

// TestConcurrentRefreshes: 16 refreshes of one zone at once, on each driver, all succeed, and
// the key Describe returns afterwards is one of the keys they returned.
func TestConcurrentRefreshes(t *testing.T) {
	for name, st := range tencenttest.Drivers(t) {
		t.Run(name, func(t *testing.T) {
			e := lifecycletest.New(t, st, tencenttest.NewHarness(t).Sealer, now, 0)
			e.Must(t, lifecycletest.Dev, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`)
			reqs := make([]*http.Request, 16)
			for i := range reqs {
				reqs[i] = e.Request(t, lifecycletest.Dev, "RefreshMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`)
			}
			keys := make([]string, len(reqs))
			var wg sync.WaitGroup
			for i, r := range reqs {
				wg.Go(func() {
					w := httptest.NewRecorder()
					e.Handler("RefreshMultiPathGatewaySecretKey").ServeHTTP(w, r)
					var env struct{ Response struct{ SecretKey string } }
					_ = json.Unmarshal(w.Body.Bytes(), &env)
					keys[i] = env.Response.SecretKey
				})
			}
			wg.Wait()
			if slices.Contains(keys, "") {
				t.Fatalf("got keys %v, want every refresh to succeed", keys)
			}
			final := *e.Must(t, lifecycletest.Dev, "DescribeMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`).SecretKey
			if !slices.Contains(keys, final) {
				t.Errorf("got final key %q, want one of the refreshes' keys", final)
			}
		})
	}
}
