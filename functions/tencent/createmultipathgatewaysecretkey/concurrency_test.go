package createmultipathgatewaysecretkey

import (
	"context"
	"net/http"
	"testing"
	"time"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/operation"
)

// TestConcurrentSameZone: 32 simultaneous creates for one zone give one success and 31
// OperationDenied, and one record, on both storage drivers.
func TestConcurrentSameZone(t *testing.T) {
	for name, st := range tencenttest.Drivers(t) {
		t.Run(name, func(t *testing.T) {
			h := Row.Serve(operation.Deps{Store: st, Sealer: tencenttest.NewHarness(t).Sealer, Creds: book(t),
				Now: func() time.Time { return now }})
			reqs := make([]*http.Request, 32)
			for i := range reqs {
				reqs[i] = signed(`{"ZoneId":"zone-27q0p0bal192"}`).HTTP(t)
			}
			got := tencenttest.Tally(tencenttest.Concurrently(h, reqs))
			if got[""] != 1 || got["OperationDenied"] != 31 || len(got) != 2 {
				t.Errorf("got codes %v, want 1 success and 31 OperationDenied", got)
			}
			if n, _ := st.CountRecords(context.Background()); n != 1 {
				t.Errorf("got %d records, want 1", n)
			}
		})
	}
}
