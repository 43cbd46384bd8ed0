package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/fault"
)

func TestLoggedWritesOneLinePerRequest(t *testing.T) {
	tests := []struct {
		name      string
		code      string
		cause     error
		status    int
		wantLevel string
	}{
		{"success", "", nil, 200, "INFO"},
		{"client fault", "MissingParameter", nil, 400, "INFO"},
		{"server fault", "InternalError", errors.New("dynamodb: throttled"), 500, "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var seenID string
			h := Logged(slog.New(slog.NewJSONHandler(&buf, nil)), audit.NewWriter(io.Discard), "op.Name", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seenID = RequestID(r.Context())
				if tt.code != "" {
					NoteOutcome(r.Context(), tt.code, tt.cause)
				}
				w.WriteHeader(tt.status)
			}))
			r := httptest.NewRequest("POST", "/v1/secrets", strings.NewReader(`{"secretData":"s3cr3t"}`))
			r.Header.Set("Authorization", "signature-material")
			h.ServeHTTP(httptest.NewRecorder(), r)

			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("got %d log lines, want 1: %s", len(lines), buf.String())
			}
			var entry map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
				t.Fatalf("log line is not JSON: %v", err)
			}
			if entry["request_id"] != seenID || seenID == "" {
				t.Errorf("request_id: got %v, handler saw %q", entry["request_id"], seenID)
			}
			if entry["op"] != "op.Name" || entry["status"] != float64(tt.status) || entry["level"] != tt.wantLevel {
				t.Errorf("got op %v status %v level %v, want op.Name %d %s", entry["op"], entry["status"], entry["level"], tt.status, tt.wantLevel)
			}
			if tt.code != "" && entry["code"] != tt.code {
				t.Errorf("code: got %v, want %s", entry["code"], tt.code)
			}
			if _, ok := entry["cause"]; ok != (tt.cause != nil) {
				t.Errorf("cause logged = %v, want %v", ok, tt.cause != nil)
			}
			if strings.Contains(lines[0], "s3cr3t") || strings.Contains(lines[0], "signature-material") {
				t.Errorf("log line holds the body or a header: %s", lines[0])
			}
		})
	}
}

func TestNewRequestIDIsUUIDv4(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := NewRequestID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestReadBody(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		declared int64 // Content-Length sent; -1 for unknown (chunked)
		wantKind fault.Kind
	}{
		{"at the limit", "12345", 5, fault.Internal},
		{"over the limit", "123456", 6, fault.TooLarge},
		{"over the limit, length unknown", "123456", -1, fault.TooLarge},
		{"empty", "", 0, fault.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.ContentLength = tt.declared
			got, err := ReadBody(r, 5)
			if tt.wantKind == fault.Internal {
				if err != nil || string(got) != tt.body {
					t.Fatalf("got %q, %v; want %q", got, err, tt.body)
				}
				return
			}
			if fault.KindOf(err) != tt.wantKind {
				t.Fatalf("got %v, want kind %v", err, tt.wantKind)
			}
		})
	}
}
