package listsecrets

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/fault"
)

// FuzzList: any query string, sent through the whole handler to a region of three secrets, is
// either refused with a 400 naming client faults only, or answered 200 with count 3 and exactly
// the window its limit and offset select; never a panic or a 5xx. The paging runs, not only
// the decoding: a list whose fuzz target stopped at the decoder panicked on a huge offset.
func FuzzList(f *testing.F) {
	for _, s := range []string{"", "limit=10", "limit=1000&offset=5", "limit=0", "offset=-1", "limit=1&limit=2",
		"%zz=1", "offset=%zz", "limit=%2B5", "a;b=c&&limit=3", "offset=99999999999999999999", "limit=00",
		"offset=2&limit=1000", "offset=3", "offset=9223372036854775807", "limit=1000&offset=9223372036854775806"} {
		f.Add(s)
	}
	e := newEnv(f)
	e.seed(f, gcore.Scope{Project: 1, Region: 76}, 0, 3)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := decode(raw)
		r := httptest.NewRequest("GET", "/cloud/v1/secrets/1/76", nil)
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
			t.Fatalf("accepted %q as %+v", raw, q)
		}
		var got listed
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.Results == nil {
			t.Fatalf("%q: got %d %s, want 200 and a page", raw, w.Code, w.Body)
		}
		if want := window(3, q.offset, q.limit); got.Count != 3 || len(got.Results) != want {
			t.Fatalf("%q: got count %d and %d results, want 3 and %d", raw, got.Count, len(got.Results), want)
		}
	})
}

// window is how many of count items offset and limit select, computed without overflow.
func window(count int, offset, limit int64) int {
	if offset >= int64(count) {
		return 0
	}
	return int(min(limit, int64(count)-offset))
}
