package createsecret

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/store/dynamostore/dynamotest"
	"keyport/shared/store/storetest"
)

// TestConcurrentSameName sends 32 creates with one name at once: the store's atomic write must
// let exactly one through and refuse the rest as duplicates, on both storage drivers.
func TestConcurrentSameName(t *testing.T) {
	drivers := map[string]storetest.Store{"bolt": newEnv(t).Store, "dynamodb": dynamotest.Open(t)}
	for name, st := range drivers {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			d := e.Deps(nil)
			d.Store = st
			e.h = alibabatest.ServeOn(Row, d)
			raceSameName(t, e, st)
		})
	}
}

func raceSameName(t *testing.T, e *env, st storetest.Store) {
	const n = 32
	builds := make([]func() *http.Request, n)
	for i := range builds {
		builds[i] = call{body: withName("shared_name")}.build()
	}
	recs := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			recs[i] = httptest.NewRecorder()
			e.h.ServeHTTP(recs[i], builds[i]())
		}()
	}
	wg.Wait()
	results := make([]alibabatest.Response, n)
	for i, rec := range recs {
		results[i] = alibabatest.Parse(t, rec)
	}
	codes := map[string]int{}
	for _, r := range results {
		codes[r.Code()]++
		if r.Code() == "Conflict.SecretNameDuplicate" && r.Status != 409 {
			t.Errorf("got status %d for a duplicate, want 409", r.Status)
		}
	}
	if codes["Ok"] != 1 || codes["Conflict.SecretNameDuplicate"] != n-1 {
		t.Errorf("got %v, want 1 Ok and %d Conflict.SecretNameDuplicate", codes, n-1)
	}
	if c, err := st.CountRecords(context.Background()); err != nil || c != 3 {
		t.Errorf("got %d records (err %v), want 3: the secret, its name and its nonce", c, err)
	}
	for _, r := range results {
		if r.Code() != "Ok" {
			alibabatest.Golden(t, "duplicate_name", r)
			break
		}
	}
}
