package alibaba

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/store"
	"keyport/shared/valid"
)

// nameRequest is a request body with one rule, for the skeleton's tests.
type nameRequest struct {
	Name string `json:"name"`
}

func (r nameRequest) Validate() error { return valid.Required("name", r.Name) }

// TestHandle runs the skeleton as operation.Mux mounts it: the body is read and the caller
// authenticated before the operation runs, the body is decoded and validated before it acts, and
// every outcome is rendered in APIG's envelope.
func TestHandle(t *testing.T) {
	now := func() time.Time { return t0 }
	dev := credentials.DevAlibabaSecret
	path := func(p string) func(*http.Request) {
		return func(r *http.Request) { r.URL.Path, r.URL.RawPath = strings.ReplaceAll(p, "%2F", "/"), p }
	}
	for _, tc := range []struct {
		name   string
		req    *http.Request
		status int
		code   string
		acted  bool
	}{
		{"valid", signedBody(`{"name":"n"}`, path("/v1/sec%2F1"), dev), 200, "Ok", true},
		{"unsigned", func() *http.Request { r := signed(path("/v1/sec%2F1"), dev); r.Header.Del("Authorization"); return r }(), 400, CodeIncompleteSignature, false},
		{"wrong signature", signedBody(`{"name":"n"}`, path("/v1/sec%2F1"), "not-the-secret"), 403, CodeSignatureDoesNotMatch, false},
		{"body over MaxBody", signedBody(`{"name":"`+strings.Repeat("x", MaxBody)+`"}`, path("/v1/x"), dev), 413, "EntityTooLarge", false},
		{"not JSON", signedBody(`{"name":`, path("/v1/x"), dev), 400, "InvalidParameter", false},
		{"invalid", signedBody(`{"other":"n"}`, path("/v1/x"), dev), 400, "MissingParameter", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acted := false
			mux := http.NewServeMux()
			mux.Handle("POST /v1/{id}", Handle(credentials.Dev(), now, WithBody(func(r *http.Request, c Caller, req nameRequest) (any, error) {
				acted = true
				return map[string]string{"id": r.PathValue("id"), "account": c.Account, "name": req.Name}, nil
			})))
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, tc.req)
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != tc.status || body["code"] != tc.code || acted != tc.acted {
				t.Fatalf("got %d %s (acted %v), want %d %s (acted %v)", rec.Code, rec.Body, acted, tc.status, tc.code, tc.acted)
			}
			if want := (map[string]any{"id": "sec/1", "account": credentials.DevAlibabaAccount, "name": "n"}); tc.acted && !maps.Equal(body["data"].(map[string]any), want) {
				t.Errorf("got data %v, want %v: the path value decoded, the caller's account, the decoded body", body["data"], want)
			}
		})
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
