package localserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/functions"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
	"keyport/shared/store/memstore"
)

// adminServer serves every operation and the /_keyport/ paths on st, with the trail written to
// the returned buffer.
func adminServer(t *testing.T, st store.Store, kind string, allowReset bool) (*httptest.Server, *syncBuffer) {
	t.Helper()
	trail := &syncBuffer{}
	svc := quietServices(st, seal.New(localkey.Ephemeral()), credentials.Dev())
	svc.audit, svc.storeKind, svc.allowReset = audit.NewWriter(trail), kind, allowReset
	srv := httptest.NewServer(newMux(svc))
	t.Cleanup(srv.Close)
	return srv, trail
}

// adminCall sends method path with the given headers and decodes the JSON answer.
func adminCall(t *testing.T, base, method, path string, header map[string]string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader("{}"))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q, want JSON", method, path, ct)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", method, path, err)
	}
	return resp.StatusCode, body
}

func TestHealthReady(t *testing.T) {
	srv, _ := adminServer(t, memstore.New(), "memory", false)
	status, body := adminCall(t, srv.URL, "GET", healthPath, nil)
	if status != http.StatusOK || body["ready"] != true || body["status"] != "ready" || body["store"] != "memory" || body["resetAllowed"] != false {
		t.Errorf("health: got %d %v, want 200, ready, store memory, reset not allowed", status, body)
	}
	if v, _ := body["version"].(string); v == "" {
		t.Errorf("health: got version %v, want one", body["version"])
	}
	var dialects []string
	for _, d := range body["dialects"].([]any) {
		dialects = append(dialects, d.(string))
	}
	if want := []string{"alibaba", "barbican", "gcore", "identity", "k5", "tencent"}; !slices.Equal(dialects, want) {
		t.Errorf("health dialects: got %v, want %v", dialects, want)
	}
}

// brokenStore fails every call, as a store whose file or table is gone does.
type brokenStore struct{ store.Store }

func (brokenStore) Get(context.Context, store.Ref) (store.Record, error) {
	return store.Record{}, errors.New("disk on fire")
}

func TestHealthStoreUnusable(t *testing.T) {
	srv, _ := adminServer(t, brokenStore{}, "bolt", false)
	status, body := adminCall(t, srv.URL, "GET", healthPath, nil)
	if status != http.StatusServiceUnavailable || body["ready"] != false || body["status"] != "store unusable" {
		t.Errorf("health on a broken store: got %d %v, want 503, not ready, store unusable", status, body)
	}
	if strings.Contains(jsonText(body), "fire") {
		t.Errorf("health answer names the store's error: %v", body)
	}
}

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

// Until the store is open, health answers 503 "starting" and any other request waits, then is
// served once the server is ready.
func TestHealthWhileStarting(t *testing.T) {
	gate := newStartGate(newHealth("bolt", false))
	srv := httptest.NewServer(gate)
	defer srv.Close()
	status, body := adminCall(t, srv.URL, "GET", healthPath, nil)
	if status != http.StatusServiceUnavailable || body["ready"] != false || body["status"] != "starting" {
		t.Errorf("health while starting: got %d %v, want 503, not ready, starting", status, body)
	}
	served := make(chan int, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/nowhere")
		if err != nil {
			served <- 0
			return
		}
		resp.Body.Close()
		served <- resp.StatusCode
	}()
	select {
	case got := <-served:
		t.Fatalf("a request while starting was answered %d before the server was ready", got)
	case <-time.After(100 * time.Millisecond):
	}
	ready, _ := adminServer(t, memstore.New(), "memory", false)
	gate.open(ready.Config.Handler)
	if got := <-served; got != http.StatusNotFound {
		t.Errorf("the waiting request: got status %d, want 404 (served by the ready server)", got)
	}
}

// The prefix is the local server's before any dialect: a request there with a vendor's
// signature or token is still keyport's, and an unknown path under it gets keyport's JSON 404.
func TestAdminPrefixClaimedFirst(t *testing.T) {
	srv, _ := adminServer(t, memstore.New(), "memory", false)
	for _, h := range []map[string]string{
		{"Authorization": "ACS3-HMAC-SHA256 Credential=x"},
		{"X-Auth-Token": credentials.DevK5Token},
		{"X-TC-Action": "CreateApiKey"},
	} {
		if status, body := adminCall(t, srv.URL, "PUT", healthPath, h); status != http.StatusMethodNotAllowed || body["code"] != "MethodNotAllowed" {
			t.Errorf("PUT health with %v: got %d %v, want keyport's 405", h, status, body)
		}
	}
	if status, body := adminCall(t, srv.URL, "GET", adminPrefix+"nothing", nil); status != http.StatusNotFound || body["code"] != "NotFound" {
		t.Errorf("unknown admin path: got %d %v, want keyport's 404", status, body)
	}
}

// No operation row is reached under the prefix, so nothing deployed on AWS serves it.
func TestNoRowUnderAdminPrefix(t *testing.T) {
	for _, row := range functions.Operations {
		if strings.Contains(row.Route, adminPrefix) {
			t.Errorf("operation %s has route %q under %s, which the local server keeps for itself", row.Name, row.Route, adminPrefix)
		}
	}
}

func TestResetRefusedWithoutFlag(t *testing.T) {
	st := memstore.New()
	srv, trail := adminServer(t, st, "memory", false)
	host := strings.TrimPrefix(srv.URL, "http://")
	if err := newVendorClients(t, host).create(context.Background(), "k5", 1, "Sec_kept"); err != nil {
		t.Fatal(err)
	}
	status, body := adminCall(t, srv.URL, "POST", resetPath, nil)
	if status != http.StatusForbidden || body["code"] != "ResetNotAllowed" || !strings.Contains(body["message"].(string), "-allow-reset") {
		t.Errorf("reset without -allow-reset: got %d %v, want 403 ResetNotAllowed naming the flag", status, body)
	}
	if n, _ := st.CountRecords(context.Background()); n != 1 {
		t.Errorf("records after a refused reset: got %d, want 1", n)
	}
	wantResetAudited(t, trail, "ResetNotAllowed", http.StatusForbidden)
}

// With -allow-reset, a reset wipes every record of every vendor on the memory and bolt stores,
// and the same creates succeed again (names and ids released).
func TestResetWipes(t *testing.T) {
	bolt, err := boltstore.Open(t.TempDir() + "/keyport.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bolt.Close() })
	for _, tt := range []struct {
		kind string
		st   interface {
			store.Store
			CountRecords(context.Context) (int, error)
		}
	}{{"memory", memstore.New()}, {"bolt", bolt}} {
		t.Run(tt.kind, func(t *testing.T) {
			srv, trail := adminServer(t, tt.st, tt.kind, true)
			clients := newVendorClients(t, strings.TrimPrefix(srv.URL, "http://"))
			ctx := context.Background()
			for i, op := range operations {
				if err := clients.create(ctx, op, i, "Sec_before_reset"); err != nil {
					t.Fatalf("%s create: %v", op, err)
				}
			}
			if status, body := adminCall(t, srv.URL, "POST", resetPath, nil); status != http.StatusOK || body["code"] != "Reset" {
				t.Fatalf("reset: got %d %v, want 200 Reset", status, body)
			}
			if n, err := tt.st.CountRecords(ctx); err != nil || n != 0 {
				t.Errorf("records after reset: got %d, %v; want 0", n, err)
			}
			for i, op := range operations {
				if err := clients.create(ctx, op, i, "Sec_after_reset"); err != nil {
					t.Errorf("%s: the same create after reset: %v", op, err)
				}
			}
			wantResetAudited(t, trail, "Reset", http.StatusOK)
		})
	}
}

// A store that cannot be wiped (DynamoDB) answers 501, and GET is not a reset.
func TestResetUnsupportedAndMethod(t *testing.T) {
	srv, _ := adminServer(t, struct{ store.Store }{memstore.New()}, "dynamodb", true)
	if status, body := adminCall(t, srv.URL, "POST", resetPath, nil); status != http.StatusNotImplemented || body["code"] != "ResetUnsupported" {
		t.Errorf("reset on a store without Reset: got %d %v, want 501 ResetUnsupported", status, body)
	}
	if status, body := adminCall(t, srv.URL, "GET", resetPath, nil); status != http.StatusMethodNotAllowed || body["code"] != "MethodNotAllowed" {
		t.Errorf("GET reset: got %d %v, want 405", status, body)
	}
}

// wantResetAudited finds the reset's one audit event with its outcome and status.
func wantResetAudited(t *testing.T, trail *syncBuffer, outcome string, status int) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(trail.String()), "\n") {
		var e audit.Event
		if json.Unmarshal([]byte(line), &e) == nil && e.Operation == "keyport.reset" {
			if e.Outcome != outcome || e.Status != status || e.Dialect != "keyport" {
				t.Errorf("reset audit event: got %+v, want outcome %s, status %d, dialect keyport", e, outcome, status)
			}
			return
		}
	}
	t.Errorf("no keyport.reset event in the audit trail")
}
