package createmultipathgatewaysecretkey

import (
	"context"
	"net/http"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
)

// TestConcurrentSameZone: 32 simultaneous creates for one zone give one success and 31
// OperationDenied, and one record.
func TestConcurrentSameZone(t *testing.T) {
	e := newEnv(t)
	reqs := make([]*http.Request, 32)
	for i := range reqs {
		reqs[i] = signed(`{"ZoneId":"zone-27q0p0bal192"}`).HTTP(t)
	}
	got := tencenttest.Tally(tencenttest.Concurrently(e.h, reqs))
	if got[""] != 1 || got["OperationDenied"] != 31 || len(got) != 2 {
		t.Errorf("got codes %v, want 1 success and 31 OperationDenied", got)
	}
	if n, _ := e.Store.Count(context.Background()); n != 1 {
		t.Errorf("got %d records, want 1", n)
	}
}
