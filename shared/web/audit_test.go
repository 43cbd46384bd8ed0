package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/audit"
)

// auditLines parses the audit stream written to buf.
func auditLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("audit line is not JSON: %q", l)
		}
		out = append(out, m)
	}
	return out
}

func TestLoggedWritesOneAuditEventPerRequest(t *testing.T) {
	tests := []struct {
		name        string
		op          string
		remote      string
		handler     func(w http.ResponseWriter, r *http.Request)
		wantOutcome string
		wantStatus  int
		wantOp      string
		wantDialect string
		wantSource  string
	}{{
		name: "success with a code", op: "alibaba.CreateSecret", remote: "192.0.2.7:51234",
		handler: func(w http.ResponseWriter, r *http.Request) {
			audit.SetPrincipal(r.Context(), "LTAIkey", "1000")
			audit.SetResource(r.Context(), "sec-1")
			NoteOutcome(r.Context(), "Ok", nil)
		},
		wantOutcome: "Ok", wantStatus: 200, wantOp: "alibaba.CreateSecret", wantDialect: "alibaba", wantSource: "192.0.2.7",
	}, {
		name: "no code noted: the reason phrase", op: "k5.CreateSecret", remote: "[2001:db8::1]:443",
		handler:     func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) },
		wantOutcome: "Created", wantStatus: 201, wantOp: "k5.CreateSecret", wantDialect: "k5", wantSource: "2001:db8::1",
	}, {
		name: "router names the operation; Lambda's bare source address", op: "tencent", remote: "203.0.113.9",
		handler: func(w http.ResponseWriter, r *http.Request) {
			audit.SetOperation(r.Context(), "tencent.CreateApiKey")
			NoteOutcome(r.Context(), "AuthFailure.SignatureFailure", nil)
			_, _ = w.Write([]byte("{}"))
		},
		wantOutcome: "AuthFailure.SignatureFailure", wantStatus: 200, wantOp: "tencent.CreateApiKey", wantDialect: "tencent", wantSource: "203.0.113.9",
	}, {
		name: "server fault", op: "gcore.CreateSecret", remote: "198.51.100.1:1",
		handler: func(w http.ResponseWriter, r *http.Request) {
			NoteOutcome(r.Context(), "InternalServerError", errors.New("dynamodb: throttled"))
			w.WriteHeader(http.StatusInternalServerError)
		},
		wantOutcome: "InternalServerError", wantStatus: 500, wantOp: "gcore.CreateSecret", wantDialect: "gcore", wantSource: "198.51.100.1",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs, trail bytes.Buffer
			var seenID string
			h := Logged(slog.New(slog.NewJSONHandler(&logs, nil)), audit.NewWriter(&trail), tt.op, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seenID = RequestID(r.Context())
				tt.handler(w, r)
			}))
			r := httptest.NewRequest("POST", "/", strings.NewReader(`{"secret":"s3cr3t"}`))
			r.RemoteAddr = tt.remote
			r.Header.Set("X-Forwarded-For", "10.9.9.9")
			h.ServeHTTP(httptest.NewRecorder(), r)

			events := auditLines(t, &trail)
			if len(events) != 1 {
				t.Fatalf("got %d audit events, want 1", len(events))
			}
			e := events[0]
			if e["log_type"] != "audit" || e["request_id"] != seenID || e["operation"] != tt.wantOp || e["dialect"] != tt.wantDialect {
				t.Errorf("got %v, want log_type audit, request_id %s, operation %s, dialect %s", e, seenID, tt.wantOp, tt.wantDialect)
			}
			if e["outcome"] != tt.wantOutcome || e["status"] != float64(tt.wantStatus) || e["source"] != tt.wantSource {
				t.Errorf("got outcome %v status %v source %v, want %s %d %s", e["outcome"], e["status"], e["source"], tt.wantOutcome, tt.wantStatus, tt.wantSource)
			}
			if strings.Contains(logs.String(), `"log_type"`) {
				t.Errorf("the request log holds an audit event: %s", logs.String())
			}
		})
	}
}

func TestLoggedAuditsAPanickingHandler(t *testing.T) {
	var logs, trail bytes.Buffer
	h := Logged(slog.New(slog.NewJSONHandler(&logs, nil)), audit.NewWriter(&trail), "gcore.GetTask",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("got the panic swallowed, want it to reach the server")
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}()
	events := auditLines(t, &trail)
	if len(events) != 1 || events[0]["status"] != float64(500) || events[0]["outcome"] != "Internal Server Error" {
		t.Errorf("got %v, want one event with status 500", events)
	}
	if !strings.Contains(logs.String(), `"cause":"handler panicked"`) {
		t.Errorf("got request log %s, want a line naming the panic", logs.String())
	}
}

func TestLoggedRefusesNoAuditWriter(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("got no panic, want Logged to refuse a nil audit writer")
		}
	}()
	Logged(slog.New(slog.NewJSONHandler(io.Discard, nil)), nil, "op", http.NotFoundHandler())
}
