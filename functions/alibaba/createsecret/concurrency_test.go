package createsecret

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestConcurrentSameName sends 32 creates with one name at once: the store's atomic write must
// let exactly one through and refuse the rest as duplicates.
func TestConcurrentSameName(t *testing.T) {
	const n = 32
	e := newEnv(t)
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
	results := make([]response, n)
	for i, rec := range recs {
		results[i] = parse(t, rec)
	}
	codes := map[string]int{}
	for _, r := range results {
		codes[r.code()]++
		if r.code() == "Conflict.SecretNameDuplicate" && r.status != 409 {
			t.Errorf("got status %d for a duplicate, want 409", r.status)
		}
	}
	if codes["Ok"] != 1 || codes["Conflict.SecretNameDuplicate"] != n-1 {
		t.Errorf("got %v, want 1 Ok and %d Conflict.SecretNameDuplicate", codes, n-1)
	}
	if c := e.count(t); c != 3 {
		t.Errorf("got %d records, want 3", c)
	}
	for _, r := range results {
		if r.code() != "Ok" {
			checkGolden(t, "duplicate_name", r)
			break
		}
	}
}
