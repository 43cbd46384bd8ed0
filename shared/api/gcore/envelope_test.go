package gcore_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/web"
)

// serveError renders err through the request-id middleware with a JSON logger, returning the
// response and the single log line.
func serveError(t *testing.T, err error) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	h := web.Logged(logger, audit.NewWriter(io.Discard), "test", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gcore.WriteError(w, r, err)
	}))
	w := gcoretest.Do(h, "POST", "/", nil, "")
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log line is not one JSON object: %v: %s", err, logs.Bytes())
	}
	return w, line
}

func TestWriteError(t *testing.T) {
	const secretCause = "dynamodb: connection refused to secret-host"
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantClass  string
		wantFields []string
	}{
		{"missing", fault.New(fault.Missing, "name", "is required"), 400, "ValidationError", []string{"name"}},
		{"invalid", fault.New(fault.Invalid, "payload", "must be valid base64"), 400, "ValidationError", []string{"payload"}},
		{"malformed", fault.New(fault.Malformed, "", "JSON parse error: the body is not valid JSON."), 400, "ValidationError", nil},
		{"several fields", errors.Join(
			fault.New(fault.Missing, "name", "is required"),
			fault.New(fault.Invalid, "secret_type", "must be one of opaque"),
			fault.New(fault.Invalid, "bit_length", "must be an integer"),
		), 400, "ValidationError", []string{"name", "secret_type", "bit_length"}},
		{"too large body", fault.New(fault.TooLarge, "", "request body is over 1048576 bytes"), 413, "ValidationError", nil},
		{"too large field", fault.New(fault.TooLarge, "payload", "must be at most 20000 characters of base64"), 413, "ValidationError", []string{"payload"}},
		{"unsupported type", fault.New(fault.UnsupportedType, "", "Unsupported media type in request."), 415, "UnsupportedMediaType", nil},
		{"unauthenticated", fault.New(fault.Unauthenticated, "", "Bad permanent token."), 401, "AuthenticationFailed", nil},
		{"not authenticated code", fault.New(fault.Unauthenticated, "", "Authentication credentials were not provided.").WithCode("NotAuthenticated"), 401, "NotAuthenticated", nil},
		{"forbidden", fault.New(fault.Forbidden, "", "Project 2 could not be found"), 404, "NotFoundError", nil},
		{"not found", fault.New(fault.NotFound, "", "Task could not be found"), 404, "NotFoundError", nil},
		{"bad method", fault.New(fault.BadMethod, "", "Method \"POST\" is the only one allowed here."), 405, "HTTPError", nil},
		{"exists", fault.New(fault.Exists, "k", "already exists"), 409, "ConflictError", nil},
		{"limit", fault.New(fault.LimitExceeded, "k", "quota reached"), 403, "QuotaLimitExceed", nil},
		{"internal", errors.New(secretCause), 500, "InternalServerError", nil},
		{"wrapped internal", fmt.Errorf("store: %w", errors.New(secretCause)), 500, "InternalServerError", nil},
		{"internal in a join", errors.Join(fault.New(fault.Missing, "name", ""), errors.New(secretCause)), 500, "InternalServerError", nil},
		{"nil", nil, 500, "InternalServerError", nil},
		{"timeout", fault.New(fault.Timeout, "", secretCause), 503, "ServiceUnavailable", nil},
		{"busy", fault.New(fault.Busy, "", "body budget"), 429, "Throttled", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, line := serveError(t, tt.err)
			if w.Code != tt.wantStatus {
				t.Errorf("status: got %d, want %d", w.Code, tt.wantStatus)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type: got %q, want application/json", ct)
			}
			e := gcoretest.DecodeError(t, w.Body.Bytes())
			if e.ExceptionClass != tt.wantClass {
				t.Errorf("exception_class: got %q, want %q", e.ExceptionClass, tt.wantClass)
			}
			if *e.RequestID != line["request_id"] || *e.RequestID == "" {
				t.Errorf("request_id: got %q, want the logged %v", *e.RequestID, line["request_id"])
			}
			if len(e.InvalidFields) != len(tt.wantFields) {
				t.Errorf("invalid_fields: got %v, want fields %v", e.InvalidFields, tt.wantFields)
			}
			for _, f := range tt.wantFields {
				if len(e.InvalidFields[f]) == 0 || !strings.Contains(e.Message, "'"+f+"'") {
					t.Errorf("field %s: not in invalid_fields %v or message %q", f, e.InvalidFields, e.Message)
				}
			}
			if line["code"] != tt.wantClass {
				t.Errorf("logged code: got %v, want %s", line["code"], tt.wantClass)
			}
			_, hasCause := line["cause"]
			if hasCause != (tt.wantStatus >= 500) {
				t.Errorf("logged cause present = %v, want %v", hasCause, tt.wantStatus >= 500)
			}
			if strings.Contains(w.Body.String(), "secret-host") {
				t.Errorf("body echoes the internal cause: %s", w.Body)
			}
			gcoretest.Golden(t, "error-"+strings.ReplaceAll(tt.name, " ", "-"), w.Body.Bytes())
		})
	}
}

func TestWriteErrorMissingReads(t *testing.T) {
	w, _ := serveError(t, fault.New(fault.Missing, "name", "is required"))
	e := gcoretest.DecodeError(t, w.Body.Bytes())
	want := "Validation Error: {'name': ['Field required']}"
	if e.Message != want || e.InvalidFields["name"][0] != "Field required" {
		t.Fatalf("got message %q fields %v, want %q", e.Message, e.InvalidFields, want)
	}
}

func TestWriteJSONDoesNotEscapeHTML(t *testing.T) {
	w := httptest.NewRecorder()
	gcore.WriteJSON(w, 200, map[string]string{"a": "<b>&"})
	if got, want := w.Body.String(), "{\"a\":\"<b>&\"}\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := w.Header().Get("Content-Length"); got != "13" {
		t.Errorf("Content-Length: got %q, want 13", got)
	}
}
