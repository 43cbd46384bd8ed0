package localserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/functions"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// TestRoutesThatShareAMuxWouldPanic mounts routes that one ServeMux refuses together ("neither
// is more specific") and checks that the dispatcher keeps them apart and reaches each one.
func TestRoutesThatShareAMuxWouldPanic(t *testing.T) {
	fns := []functions.Function{
		{Name: "alibaba-get", Dialect: operation.Alibaba, Operations: []operation.Row{{Route: "GET /v1/secrets/{secretId}"}}},
		{Name: "alibaba-value", Dialect: operation.Alibaba, Operations: []operation.Row{{Route: "GET /v1/secrets/name/{name}/value"}}},
		{Name: "alibaba-update", Dialect: operation.Alibaba, Operations: []operation.Row{{Route: "PUT /v1/secrets/{id}"}}},
		{Name: "k5-list", Dialect: operation.K5, Operations: []operation.Row{{Route: "GET /v1/{tenant_id}/secrets"}}},
		{Name: "k5-get", Dialect: operation.K5, Operations: []operation.Row{{Route: "GET /v1/{tenant_id}/secrets/{secret_id}"}}},
		{Name: "barbican-list", Dialect: operation.Barbican, Operations: []operation.Row{{Route: "GET /v1/secrets"}}},
		{Name: "barbican-get", Dialect: operation.Barbican, Operations: []operation.Row{{Route: "GET /v1/secrets/{secret_id}"}}},
		{Name: "barbican-create", Dialect: operation.Barbican, Operations: []operation.Row{{Route: "POST /v1/secrets", Alias: "POST /v1/secrets/{$}"}}},
		{Name: "tencent-a", Dialect: operation.Tencent, Operations: []operation.Row{{Route: "POST /", Action: "A"}}},
		{Name: "tencent-b", Dialect: operation.Tencent, Operations: []operation.Row{{Route: "POST /", Action: "B"}}},
	}
	for i := range fns {
		fns[i].Operations[0].Function = fns[i].Name
		fns[i].Operations[0].New = func(operation.Deps) http.Handler { return http.NotFoundHandler() }
		fns[i].Operations[0].NewAction = func(operation.Deps) tencent.Action { return tencent.Action{Name: "X"} }
	}
	// Each function answers with its name: the test checks where requests go, not what they do.
	reached := hostWrappers{function: func(fn functions.Function, _ http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, fn.Name) })
	}}
	deps := operation.Deps{Store: store.Restrict(nil, 0), Creds: &credentials.Book{}}
	d := newDispatcher(fns, deps, reached, http.HandlerFunc(writeUnrouted))
	tests := []struct {
		method, path, header, value string
		want                        string // the function reached
		wantStatus                  int
	}{
		{"GET", "/v1/secrets/sec-1", "Authorization", "ACS3-HMAC-SHA256 x", "alibaba-get", 200},
		{"GET", "/v1/secrets/name/n1/value", "Authorization", "ACS3-HMAC-SHA256 x", "alibaba-value", 200},
		{"PUT", "/v1/secrets/sec-1", "Authorization", "ACS3-HMAC-SHA256 x", "alibaba-update", 200},
		{"DELETE", "/v1/secrets/sec-1", "Authorization", "ACS3-HMAC-SHA256 x", "", 405},
		{"GET", "/v1/t1/secrets", "X-Auth-Token", "tok", "k5-list", 200},
		{"GET", "/v1/t1/secrets/s1", "X-Auth-Token", "tok", "k5-get", 200},
		// Upstream Barbican shares /v1/secrets with Alibaba: the token decides, an ACS3 signature
		// is still Alibaba's.
		{"GET", "/v1/secrets", "X-Auth-Token", "tok", "barbican-list", 200},
		{"GET", "/v1/secrets/s1", "X-Auth-Token", "tok", "barbican-get", 200},
		{"POST", "/v1/secrets", "X-Auth-Token", "tok", "barbican-create", 200},
		{"POST", "/v1/secrets/", "X-Auth-Token", "tok", "barbican-create", 200},
		{"GET", "/v1/secrets/secrets", "X-Auth-Token", "tok", "barbican-get", 200},
		{"GET", "/v1/t1/secrets/s1/payload", "X-Auth-Token", "tok", "", 404},
		{"POST", "/", "X-TC-Action", "B", "tencent-b", 200},
		{"POST", "/", "X-TC-Action", "A", "tencent-a", 200},
		{"POST", "/", "X-TC-Action", "C", "tencent-a", 200}, // the first service answers InvalidAction
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.path, nil)
		req.Header.Set(tt.header, tt.value)
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		if rec.Code != tt.wantStatus || (tt.want != "" && rec.Body.String() != tt.want) {
			t.Errorf("%s %s: got %d %q, want %d %q", tt.method, tt.path, rec.Code, rec.Body.String(), tt.wantStatus, tt.want)
		}
		if tt.wantStatus == 405 && rec.Header().Get("Allow") != "GET, PUT" {
			t.Errorf("%s %s: got Allow %q, want %q", tt.method, tt.path, rec.Header().Get("Allow"), "GET, PUT")
		}
	}
}
