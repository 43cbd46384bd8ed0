package updateapikey_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
)

// TestConcurrentUpdates: 16 updates of one key at once, on each driver, all succeed; the key
// ends with exactly one of their secrets, the one Describe returns, at version 1 + 16 (no update
// overwrote another unseen).
func TestConcurrentUpdates(t *testing.T) {
	for name, st := range tencenttest.Drivers(t) {
		t.Run(name, func(t *testing.T) {
			e := lifecycletest.New(t, st, tencenttest.NewHarness(t).Sealer, now, 0)
			e.Create(t, lifecycletest.Dev, manual)
			const n = 16
			reqs := make([]*http.Request, n)
			secrets := make([]string, n)
			for i := range reqs {
				secrets[i] = "racing_secret_" + strconv.Itoa(100+i)
				reqs[i] = e.Request(t, lifecycletest.Dev, "UpdateApiKey", `{"AccessKeyId":"my_key_id","AccessKeySecret":"`+secrets[i]+`"}`)
			}
			got := tencenttest.Tally(tencenttest.Concurrently(e.Handler("UpdateApiKey"), reqs))
			if got[""] != n {
				t.Errorf("got codes %v, want %d successes", got, n)
			}
			final := e.Must(t, lifecycletest.Dev, "DescribeApiKey", `{"AccessKeyId":"my_key_id"}`).Key(t).AccessKeySecret
			if !slices.Contains(secrets, final) {
				t.Errorf("got final secret %q, want one of the racing updates'", final)
			}
			rec, err := st.Get(context.Background(), apikey.RecordRef(credentials.DevTencentAccount, "my_key_id"))
			if err != nil || rec.Version != 1+n {
				t.Errorf("got version %d (err %v), want %d", rec.Version, err, 1+n)
			}
		})
	}
}

// TestUpdateRacingDisable: an update racing a disable either lands before it (and succeeds) or
// is refused; it never rewrites a key after it was disabled.
func TestUpdateRacingDisable(t *testing.T) {
	for name, st := range tencenttest.Drivers(t) {
		t.Run(name, func(t *testing.T) {
			e := lifecycletest.New(t, st, tencenttest.NewHarness(t).Sealer, now, 0)
			e.Create(t, lifecycletest.Dev, manual)
			reqs := []*http.Request{
				e.Request(t, lifecycletest.Dev, "DisableApiKey", `{"AccessKeyId":"my_key_id"}`),
				e.Request(t, lifecycletest.Dev, "UpdateApiKey", `{"AccessKeyId":"my_key_id","AccessKeySecret":"racing_secret_1"}`),
			}
			codes := tencenttest.Concurrently(e.Handler("UpdateApiKey"), reqs)
			final := e.Must(t, lifecycletest.Dev, "DescribeApiKey", `{"AccessKeyId":"my_key_id"}`).Key(t)
			switch {
			case codes[0] != "" || *final.Status != 0:
				t.Errorf("got disable %q status %d, want the key disabled", codes[0], *final.Status)
			case codes[1] == "" && final.AccessKeySecret != "racing_secret_1":
				t.Error("the update succeeded but its secret is not in force")
			case codes[1] != "" && (codes[1] != "UnsupportedOperation.UnsupportedUpdateApiKey" || final.AccessKeySecret != "my_key_secret_1"):
				t.Errorf("got update %q secret %q, want a clean refusal", codes[1], final.AccessKeySecret)
			}
		})
	}
}
