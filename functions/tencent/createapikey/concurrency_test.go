package createapikey

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/store/storetest"
)

// raceOnEachDriver runs check against a handler on each storage driver (bolt and DynamoDB).
func raceOnEachDriver(t *testing.T, limit int64, check func(t *testing.T, h http.Handler, st storetest.Store)) {
	for name, st := range tencenttest.Drivers(t) {
		t.Run(name, func(t *testing.T) {
			h := Row.Serve(operation.Deps{Store: st, Sealer: tencenttest.NewHarness(t).Sealer, Creds: credentials.Dev(),
				Now: func() time.Time { return now }, KeyLimit: limit})
			check(t, h, st)
		})
	}
}

// TestConcurrentSameAccessKeyID: 32 simultaneous manual creates of one AccessKeyId give one
// success and 31 FailedOperation.AccessKeyExist, on both drivers.
func TestConcurrentSameAccessKeyID(t *testing.T) {
	raceOnEachDriver(t, 0, func(t *testing.T, h http.Handler, st storetest.Store) {
		reqs := make([]*http.Request, 32)
		for i := range reqs {
			reqs[i] = signed(`{"SecretName":"n` + strconv.Itoa(i) + `","AccessKeyType":"manual","AccessKeyId":"same_id","AccessKeySecret":"secret_` + strconv.Itoa(1000+i) + `"}`).HTTP(t)
		}
		got := tencenttest.Tally(tencenttest.Concurrently(h, reqs))
		if got[""] != 1 || got["FailedOperation.AccessKeyExist"] != 31 || len(got) != 2 {
			t.Errorf("got codes %v, want 1 success and 31 FailedOperation.AccessKeyExist", got)
		}
		if n, _ := st.CountRecords(context.Background()); n != 1 {
			t.Errorf("got %d records, want 1", n)
		}
		if n, _ := st.CounterValue(context.Background(), apikey.CounterRef(credentials.DevTencentAccount)); n != 1 {
			t.Errorf("got key count %d, want 1", n)
		}
	})
}

// TestConcurrentLimit: with a limit of 5, 20 simultaneous creates give exactly 5 successes and
// 15 LimitExceeded.ApiKeyCountLimitExceeded, on both drivers.
func TestConcurrentLimit(t *testing.T) {
	raceOnEachDriver(t, 5, func(t *testing.T, h http.Handler, st storetest.Store) {
		reqs := make([]*http.Request, 20)
		for i := range reqs {
			reqs[i] = signed(`{"SecretName":"n"}`).HTTP(t)
		}
		got := tencenttest.Tally(tencenttest.Concurrently(h, reqs))
		if got[""] != 5 || got["LimitExceeded.ApiKeyCountLimitExceeded"] != 15 || len(got) != 2 {
			t.Errorf("got codes %v, want 5 successes and 15 LimitExceeded.ApiKeyCountLimitExceeded", got)
		}
		if n, _ := st.CountRecords(context.Background()); n != 5 {
			t.Errorf("got %d records, want 5", n)
		}
		if n, _ := st.CounterValue(context.Background(), apikey.CounterRef(credentials.DevTencentAccount)); n != 5 {
			t.Errorf("got key count %d, want 5", n)
		}
	})
}
