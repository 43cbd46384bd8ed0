package deleteapikey_test

import (
	"context"
	"net/http"
	"testing"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
)

// TestDeleteRacingCreates: an account at its limit of 3 deletes a disabled key while 8 creates
// race it, on each driver. The count never exceeds the limit: at most one create takes the
// freed slot, and the counter equals the keys stored.
func TestDeleteRacingCreates(t *testing.T) {
	for name, st := range tencenttest.Drivers(t) {
		t.Run(name, func(t *testing.T) {
			e := lifecycletest.New(t, st, tencenttest.NewHarness(t).Sealer, now, 3)
			e.Create(t, lifecycletest.Dev, manual)
			e.Create(t, lifecycletest.Dev, `{"SecretName":"b"}`)
			e.Create(t, lifecycletest.Dev, `{"SecretName":"c"}`)
			e.Must(t, lifecycletest.Dev, "DisableApiKey", `{"AccessKeyId":"my_key_id"}`)
			reqs := []*http.Request{e.Request(t, lifecycletest.Dev, "DeleteApiKey", `{"AccessKeyId":"my_key_id"}`)}
			for range 8 {
				reqs = append(reqs, e.Request(t, lifecycletest.Dev, "CreateApiKey", `{"SecretName":"racer"}`))
			}
			codes := tencenttest.Concurrently(e.Handler("CreateApiKey"), reqs)
			created := tencenttest.Tally(codes[1:])
			if codes[0] != "" || created[""] > 1 || created[""]+created["LimitExceeded.ApiKeyCountLimitExceeded"] != 8 {
				t.Errorf("got delete %q and creates %v, want the delete done and at most one create", codes[0], created)
			}
			n, _ := st.CounterValue(context.Background(), apikey.CounterRef(credentials.DevTencentAccount))
			total, _ := e.Must(t, lifecycletest.Dev, "DescribeApiKeysStatus", `{"Limit":100}`).List(t)
			if n > 3 || n != total || n != int64(2+created[""]) {
				t.Errorf("got count %d and %d keys listed, want both %d, at most 3", n, total, 2+created[""])
			}
		})
	}
}
