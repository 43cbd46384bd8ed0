package createsecret

import (
	"net/http"
	"testing"

	"keyport/shared/api/alibaba/alibabatest"
)

// TestNonceReplay replays a request that succeeded: to the same handler (refused by its
// in-memory cache, before any sealing) and to a second handler on the same store, as another
// Lambda instance would be (refused by the store's nonce claim). Neither stores anything new.
func TestNonceReplay(t *testing.T) {
	nonce := alibabatest.Nonce()
	for _, tc := range []struct {
		name      string
		replay    call // sent after the original, with the same nonce
		other     bool // to a second handler instance
		wantSeals int64
	}{
		{"same request, same instance", call{body: okBody, nonce: nonce}, false, 1},
		{"re-signed with a new name, same instance", call{body: withName("other"), nonce: nonce}, false, 1},
		{"same request, other instance", call{body: okBody, nonce: nonce}, true, 2},
		{"re-signed with a new name, other instance", call{body: withName("other"), nonce: nonce}, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if res := alibabatest.Do(t, e.h, call{body: okBody, nonce: nonce}.build()()); res.Status != 200 {
				t.Fatalf("got %d %s, want the original to succeed", res.Status, res.Raw)
			}
			h := e.h
			if tc.other {
				h = e.Serve(Row)
			}
			res := alibabatest.Do(t, h, tc.replay.build()())
			if res.Status != http.StatusBadRequest || res.Code() != "SignatureNonceUsed" {
				t.Errorf("got %d %s, want 400 SignatureNonceUsed", res.Status, res.Raw)
			}
			if n := e.count(t); n != 3 {
				t.Errorf("got %d records, want still 3", n)
			}
			if n := e.KMS.Generates.Load(); n != tc.wantSeals {
				t.Errorf("got %d data keys generated, want %d", n, tc.wantSeals)
			}
			alibabatest.Golden(t, "replay", res)
		})
	}
}

// TestNonceOfRefusedRequest: a nonce spent on a refused request is not stored, so another
// instance refuses the replay for the same reason as the first, still writing nothing.
func TestNonceOfRefusedRequest(t *testing.T) {
	e := newEnv(t)
	build := call{body: withName("bad-name")}.build()
	first := alibabatest.Do(t, e.h, build())
	second := alibabatest.Do(t, e.Serve(Row), build())
	if first.Code() != "InvalidParameter" || second.Code() != "InvalidParameter" || e.count(t) != 0 {
		t.Errorf("got %s then %s with %d records, want InvalidParameter twice and 0", first.Code(), second.Code(), e.count(t))
	}
}
