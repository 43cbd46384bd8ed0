package listtasks

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/fault"
)

// FuzzList: any query string, sent through the whole handler to the seeded tasks, is either
// refused with a 400 naming client faults only, or answered 200 with at most the four tasks the
// token reaches and exactly the window limit and offset select of what the filters kept; never a
// panic or a 5xx. The paging runs, not only the decoding.
func FuzzList(f *testing.F) {
	for _, s := range []string{"", "limit=10&offset=5", "project_id=1&project_id=2&region_id=76", "state=FINISHED&state=ERROR",
		"order_by=desc&sorting=asc", "from_timestamp=2030-01-02T03%3A04%3A05Z", "to_timestamp=2030-01-02T03:04:05+01:00",
		"is_acknowledged=TRUE", "task_type=create_secret", "limit=0", "%zz", "state=%zz", "project_id=-1", "a;b&&=&=",
		"offset=3&limit=1000", "offset=9223372036854775807", "limit=1000&offset=9223372036854775806&order_by=desc"} {
		f.Add(s)
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := decode(raw)
		r := httptest.NewRequest("GET", "/cloud/v1/tasks", nil)
		r.URL.RawQuery = raw
		r.Header.Set("Authorization", "APIKey "+gcoretest.TokenAll)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if err != nil {
			if !fault.IsClient(err) || w.Code != http.StatusBadRequest {
				t.Fatalf("refused %q with %v, answered %d", raw, err, w.Code)
			}
			return
		}
		if q.limit < 1 || q.limit > maxLimit || q.offset < 0 {
			t.Fatalf("accepted %q with limit %d offset %d", raw, q.limit, q.offset)
		}
		for _, id := range append(q.projects, q.regions...) {
			if id <= 0 {
				t.Fatalf("accepted %q with id %d", raw, id)
			}
		}
		for _, s := range q.states {
			if !slices.Contains(gcoretask.States, s) {
				t.Fatalf("accepted %q with state %q", raw, s)
			}
		}
		var got listed
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.Results == nil {
			t.Fatalf("%q: got %d %s, want 200 and a page", raw, w.Code, w.Body)
		}
		want := 0
		if q.offset < int64(got.Count) {
			want = int(min(q.limit, int64(got.Count)-q.offset))
		}
		if got.Count > 4 || len(got.Results) != want {
			t.Fatalf("%q: got count %d and %d results, want at most 4 and %d", raw, got.Count, len(got.Results), want)
		}
	})
}
