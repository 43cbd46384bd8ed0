package deletesecret

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/store"
	"keyport/shared/store/dynamostore/dynamotest"
	"keyport/shared/store/storetest"
)

// TestConcurrentDeletes sends 16 deletes of one secret at once, on both storage drivers: the
// delete's own precondition lets exactly one through (one delete task, in both copies, is
// written), every other is a 404, and none is a server error.
func TestConcurrentDeletes(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) storetest.Store{
		"bolt":     func(t *testing.T) storetest.Store { return gcoretest.Store(t) },
		"dynamodb": func(t *testing.T) storetest.Store { return dynamotest.Open(t) },
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open(t))
			const n = 16
			recs := make([]*httptest.ResponseRecorder, n)
			var wg sync.WaitGroup
			for i := range n {
				r := httptest.NewRequest("DELETE", "/cloud/v1/secrets/1/76/"+idP1R76, nil)
				r.Header.Set("Authorization", "APIKey "+gcoretest.TokenAll)
				recs[i] = httptest.NewRecorder()
				wg.Add(1)
				go func() {
					defer wg.Done()
					e.h.ServeHTTP(recs[i], r)
				}()
			}
			wg.Wait()
			codes := map[int]int{}
			var taskID string
			for _, w := range recs {
				codes[w.Code]++
				if w.Code == 200 {
					taskID = taskOf(t, w.Body.Bytes())
				} else if got := gcoretest.DecodeError(t, w.Body.Bytes()); got.ExceptionClass != "NotFoundError" {
					t.Errorf("got %d %s, want 404 NotFoundError", w.Code, got.ExceptionClass)
				}
			}
			if codes[200] != 1 || codes[404] != n-1 {
				t.Fatalf("got status counts %v, want one 200 and %d 404", codes, n-1)
			}
			// Three secrets are left, plus the one task's two copies.
			if got := count(t, e.store); got != 5 {
				t.Errorf("store holds %d records, want 5", got)
			}
			page, err := e.store.List(context.Background(), store.Query{Service: gcore.Service, Tenant: "1", Kind: "task"})
			if err != nil || len(page.Records) != 1 || page.Records[0].ID != taskID {
				t.Errorf("project 1's tasks: got %v, %v; want only the winner's task %s", page.Records, err, taskID)
			}
		})
	}
}
