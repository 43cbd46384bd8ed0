package alibaba

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/shared/fault"
	"keyport/shared/store"
)

func TestRoute(t *testing.T) {
	h := Route("GET /v1/secrets/{secretId}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteOK(w, r, map[string]string{"id": r.PathValue("secretId")})
	}))
	for _, tc := range []struct {
		method, target string
		status         int
		code, allow    string
	}{
		{"GET", "/v1/secrets/sec%2F1", 200, "Ok", ""},
		{"PUT", "/v1/secrets/sec-1", 405, "UnsupportedOperation", "GET"},
		{"GET", "/v1/other", 404, "NotFound", ""},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != tc.status || body["code"] != tc.code ||
			rec.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: got %d %s (Allow %q), want %d %s", tc.method, tc.target, rec.Code, rec.Body, rec.Header().Get("Allow"), tc.status, tc.code)
		}
		if tc.status == 200 && body["data"].(map[string]any)["id"] != "sec/1" {
			t.Errorf("got %s, want the path value decoded", rec.Body)
		}
	}
}

type applyFunc func(store.Tx) error

func (f applyFunc) Apply(_ context.Context, tx store.Tx) error { return f(tx) }

func TestSpend(t *testing.T) {
	c := Caller{AccessKeyID: "LTAIx", Account: "1", Nonce: "n", At: t0, NonceUntil: t0.Add(Window)}
	for _, tc := range []struct {
		name string
		err  error
		kind fault.Kind
	}{
		{"spent now", nil, 255},
		{"already spent", &store.Conflict{Action: 0, Claim: -1, Reason: store.Exists}, fault.Replayed},
		{"store fails", errors.New("dynamodb: down"), fault.Internal},
	} {
		var got store.Tx
		err := c.Spend(context.Background(), applyFunc(func(tx store.Tx) error { got = tx; return tc.err }))
		if len(got) != 1 || got[0].Put == nil || got[0].Put.Record.Ref != c.NonceRef() {
			t.Errorf("%s: got tx %+v, want the nonce put alone", tc.name, got)
		}
		if tc.kind == 255 && err != nil || tc.kind != 255 && (err == nil || fault.KindOf(err) != tc.kind) {
			t.Errorf("%s: got %v, want kind %v", tc.name, err, tc.kind)
		}
	}
}
