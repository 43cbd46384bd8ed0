package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/shared/fault"
)

// FuzzReadBody reads arbitrary bodies with arbitrary declared lengths, limits and budgets. A
// read either returns exactly the bytes the declared length covers (all of them when none is
// declared) or a TooLarge, Busy or Malformed fault; it never panics, and the budget is whole
// again once the request is done.
func FuzzReadBody(f *testing.F) {
	f.Add([]byte(`{"a":1}`), int64(7), int64(10), int64(20))
	f.Add([]byte(`{"a":1}`), int64(-1), int64(3), int64(20))
	f.Add([]byte(`{"a":1}`), int64(7), int64(10), int64(5))
	f.Add([]byte(`{"a":1}`), int64(100), int64(200), int64(500))
	f.Add([]byte{}, int64(0), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, body []byte, declared, limit, budget int64) {
		if declared < -1 || limit < 0 || budget < 0 || limit > 16<<20 {
			return // callers' limits are vendors' body limits, at most 10 MiB
		}
		b := NewBodies(budget)
		var got []byte
		var err error
		h := b.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got, err = ReadBody(r, limit) }))
		r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		r.ContentLength = declared
		h.ServeHTTP(httptest.NewRecorder(), r)
		if b.Held() != 0 {
			t.Fatalf("%d bytes still held after the request", b.Held())
		}
		if err != nil {
			if k := fault.KindOf(err); k != fault.TooLarge && k != fault.Busy && k != fault.Malformed {
				t.Fatalf("got %v (kind %v), want TooLarge, Busy or Malformed", err, k)
			}
			return
		}
		want := body
		if declared >= 0 && declared <= int64(len(body)) {
			want = body[:declared]
		}
		if !bytes.Equal(got, want) || int64(len(got)) > limit {
			t.Fatalf("got %d bytes, want %d within the limit %d", len(got), len(want), limit)
		}
	})
}
