package localserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	"github.com/alibabacloud-go/tea/dara"

	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/store"
	"keyport/shared/store/dynamostore/dynamotest"
)

// serveAll serves every request concurrently through h and returns the decoded answers, in
// the requests' order.
func serveAll(t *testing.T, h http.Handler, reqs []*http.Request) []at.Response {
	t.Helper()
	recs := make([]*httptest.ResponseRecorder, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			recs[i] = httptest.NewRecorder()
			h.ServeHTTP(recs[i], r)
		})
	}
	wg.Wait()
	out := make([]at.Response, len(recs))
	for i, rec := range recs {
		out[i] = at.Parse(t, rec)
	}
	return out
}

// TestAlibabaPaging250 creates 250 secrets and pages through them with the official client at
// several page sizes: every secret is seen exactly once, newest first, and totalSize is 250 on
// every page.
func TestAlibabaPaging250(t *testing.T) {
	srv, mux := alibabaServer(t, nil)
	const n = 250
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = at.Call{Method: http.MethodPost, Target: "/v1/secrets", Action: "CreateSecret",
			Body: at.CreateBody(fmt.Sprintf("page_%03d", i), "v")}.Request()
	}
	for _, res := range serveAll(t, mux, reqs) {
		if res.Status != 200 {
			t.Fatalf("create: got %d %s", res.Status, res.Raw)
		}
	}
	c := at.Client(t, srv, at.Dev)
	for _, size := range []int32{100, 7, 1} {
		t.Run(fmt.Sprint("pageSize ", size), func(t *testing.T) {
			seen := map[string]int{}
			var order []int64
			for page := int32(1); ; page++ {
				resp, err := c.ListSecrets(&apig.ListSecretsRequest{PageNumber: dara.Int32(page), PageSize: dara.Int32(size)})
				if err != nil {
					t.Fatalf("page %d: %v", page, err)
				}
				d := resp.Body.Data
				if dara.Int32Value(d.TotalSize) != n {
					t.Fatalf("page %d: got totalSize %d, want %d", page, dara.Int32Value(d.TotalSize), n)
				}
				if len(d.Items) == 0 {
					break
				}
				for _, it := range d.Items {
					seen[dara.StringValue(it.Name)]++
					order = append(order, dara.Int64Value(it.CreateTimestamp))
				}
			}
			if len(seen) != n {
				t.Errorf("got %d distinct secrets, want %d", len(seen), n)
			}
			for name, k := range seen {
				if k != 1 {
					t.Errorf("got %s %d times, want once", name, k)
				}
			}
			if !slices.IsSortedFunc(order, func(a, b int64) int { return int(b - a) }) {
				t.Errorf("got create times out of newest-first order")
			}
		})
	}
}

// TestAlibabaUpdateRacingDelete races updates, value reads and one delete of one secret, on both
// drivers. Every read sees the first value, a written value or 404, never anything else and
// never a server error; afterwards the secret and its name are gone together (404 by name and
// by id, the name free again).
func TestAlibabaUpdateRacingDelete(t *testing.T) {
	drivers := map[string]func(t *testing.T) store.Store{
		"bolt":     func(*testing.T) store.Store { return nil },
		"dynamodb": func(t *testing.T) store.Store { return dynamotest.Open(t) },
	}
	for name, open := range drivers {
		t.Run(name, func(t *testing.T) {
			_, mux := alibabaServer(t, open(t))
			id := createOne(t, mux, "raced", "v0")
			written := map[string]bool{"v0": true}
			var reqs []*http.Request
			for i := range 12 {
				v := fmt.Sprintf("v%d-%s", i+1, "abcdefghijklmnopqrstuvwxyz"[i:i+8])
				written[v] = true
				reqs = append(reqs,
					at.Call{Method: http.MethodPut, Target: "/v1/secrets/" + id, Action: "UpdateSecret", Body: `{"secretData":"` + v + `"}`}.Request(),
					at.Call{Target: "/v1/secrets/name/raced/value", Action: "GetSecretValue"}.Request())
				if i == 6 {
					reqs = append(reqs, at.Call{Method: http.MethodDelete, Target: "/v1/secrets/" + id, Action: "DeleteSecret"}.Request())
				}
			}
			for i, res := range serveAll(t, mux, reqs) {
				switch method := reqs[i].Method; {
				case res.Status >= 500:
					t.Errorf("%s: got %d %s, want no server error", method, res.Status, res.Raw)
				case res.Status == 404 && res.Code() == "NotFound.Secret":
				case res.Status != 200:
					t.Errorf("%s: got %d %s, want 200 or 404", method, res.Status, res.Raw)
				case method == http.MethodGet && !written[fmt.Sprint(res.Data()["secretData"])]:
					t.Errorf("value read: got %s, want one of the written values", res.Raw)
				}
			}
			for _, c := range []at.Call{
				{Target: "/v1/secrets/name/raced/value"}, {Target: "/v1/secrets/" + id},
			} {
				if res := at.Do(t, mux, c.Request()); res.Status != 404 || res.Code() != "NotFound.Secret" {
					t.Errorf("after the race %s: got %d %s, want 404 NotFound.Secret", c.Target, res.Status, res.Raw)
				}
			}
			createOne(t, mux, "raced", "again")
		})
	}
}

// TestAlibabaRacingUpdates races updates of one secret on both drivers: afterwards its value is
// exactly one of the values written (the last write wins whole), never a mix or the original.
func TestAlibabaRacingUpdates(t *testing.T) {
	for name, st := range map[string]func(t *testing.T) store.Store{
		"bolt": func(*testing.T) store.Store { return nil }, "dynamodb": func(t *testing.T) store.Store { return dynamotest.Open(t) },
	} {
		t.Run(name, func(t *testing.T) {
			_, mux := alibabaServer(t, st(t))
			id := createOne(t, mux, "updated", "v0")
			written := map[string]bool{}
			var reqs []*http.Request
			for i := range 16 {
				v := fmt.Sprintf("value-%02d", i)
				written[v] = true
				reqs = append(reqs, at.Call{Method: http.MethodPut, Target: "/v1/secrets/" + id, Action: "UpdateSecret", Body: `{"secretData":"` + v + `"}`}.Request())
			}
			for _, res := range serveAll(t, mux, reqs) {
				if res.Status != 200 {
					t.Errorf("update: got %d %s, want 200", res.Status, res.Raw)
				}
			}
			res := at.Do(t, mux, at.Call{Target: "/v1/secrets/name/updated/value"}.Request())
			if v := fmt.Sprint(res.Data()["secretData"]); res.Status != 200 || !written[v] {
				t.Errorf("got %d %s, want one of the written values", res.Status, res.Raw)
			}
		})
	}
}

// createOne creates a secret of the Dev account through h and returns its id.
func createOne(t *testing.T, h http.Handler, name, value string) string {
	t.Helper()
	return at.Create(t, h, at.Dev, at.CreateBody(name, value))
}
