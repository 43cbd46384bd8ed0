package operation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/web"
)

// TestPanicIsAnsweredInTheDialectsEnvelope injects a panic into an operation of every dialect:
// the client gets the vendor's server-fault envelope, the log one JSON line with the stack in
// it, and the audit trail one event with the 500.
func TestPanicIsAnsweredInTheDialectsEnvelope(t *testing.T) {
	tests := []struct {
		dialect operation.Dialect
		status  int
		field   string // the envelope's field that names the fault
		want    string
	}{
		{operation.Alibaba, 500, "code", "InternalError"},
		{operation.Gcore, 500, "exception_class", "InternalServerError"},
		{operation.K5, 500, "title", "Internal Server Error"},
		{operation.Barbican, 500, "title", "Internal Server Error"},
		{operation.Tencent, 200, "Code", "InternalError"},
	}
	boom := func(context.Context, tencent.Call) (any, error) { panic("injected: index out of range") }
	for _, tt := range tests {
		t.Run(string(tt.dialect), func(t *testing.T) {
			row := operation.Row{Name: string(tt.dialect) + ".Boom", Dialect: tt.dialect, Route: "GET /boom",
				New: func(operation.Deps) http.Handler {
					return http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("injected: index out of range") })
				},
				NewAction: func(operation.Deps) tencent.Action {
					return tencent.Action{Name: "Boom", Service: "svc", Version: "v1", Handle: boom}
				}}
			deps := operation.Deps{Store: store.Restrict(nil, 0), Creds: credentials.Dev()}
			var logs, trail bytes.Buffer
			h := web.Logged(slog.New(slog.NewJSONHandler(&logs, nil)), audit.NewWriter(&trail), row.Name, row.Serve(deps))
			req := httptest.NewRequest("GET", "/boom", nil)
			if tt.dialect == operation.Tencent { // signed, so that the router hands it to the action
				req = tencenttest.Request{Action: "Boom", Version: "v1", Service: "svc"}.HTTP(t)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			checkPanicAnswer(t, rec, tt.status, tt.field, tt.want, &logs, &trail)
		})
	}
}

func checkPanicAnswer(t *testing.T, rec *httptest.ResponseRecorder, status int, field, want string, logs, trail *bytes.Buffer) {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("got %d %q, want a JSON envelope", rec.Code, rec.Body)
	}
	if r, ok := env["Response"].(map[string]any); ok {
		env, _ = r["Error"].(map[string]any)
	}
	if rec.Code != status || env[field] != want {
		t.Errorf("got %d %s, want %d with %s %q", rec.Code, rec.Body, status, field, want)
	}
	if strings.Contains(rec.Body.String(), "injected") {
		t.Errorf("got the panic value in the answer %s", rec.Body)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var line map[string]any
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &line) != nil ||
		!strings.Contains(line["cause"].(string), "injected") || !strings.Contains(line["stack"].(string), "goroutine") {
		t.Errorf("got log %q, want one JSON line with the cause and the stack", logs)
	}
	if !strings.Contains(trail.String(), `"status":500`) && !strings.Contains(trail.String(), `"InternalError"`) {
		t.Errorf("got audit %q, want the server fault", trail.String())
	}
}
