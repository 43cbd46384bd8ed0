package listsecrets

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"keyport/functions/alibaba/createsecret"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/handlerbench"
)

// BenchmarkListSecrets measures one ListSecrets of a full 100-item page through the handler
// (bolt store), for accounts of 100 and of 1000 secrets; an unfiltered page reads only its own
// items, so the two should be close (larger tenants: functions/pagebench).
func BenchmarkListSecrets(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n, " secrets"), func(b *testing.B) {
			handlerbench.Run(b,
				func(b *testing.B) http.Handler { return withSecrets(b, n) },
				func(b *testing.B, _ int) *http.Request { return listCall("?pageSize=100").Request() },
				func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusOK })
		})
	}
}

// withSecrets returns a ListSecrets handler on a store holding n secrets of the Dev account.
func withSecrets(b *testing.B, n int) http.Handler {
	e := at.NewEnv(b)
	create := createsecret.Row.Serve(e.Deps(nil))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			w := httptest.NewRecorder()
			create.ServeHTTP(w, at.Call{Method: http.MethodPost, Target: "/v1/secrets", Body: at.CreateBody(fmt.Sprintf("s_%04d", i), "v")}.Request())
			if w.Code != http.StatusOK {
				b.Errorf("create: %d %s", w.Code, w.Body)
			}
		})
	}
	wg.Wait()
	return Row.Serve(e.Deps(nil))
}
