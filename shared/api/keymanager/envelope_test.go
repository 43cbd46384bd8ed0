package keymanager

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/testkit"
	"keyport/shared/web"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		kind fault.Kind
		want int
	}{
		{fault.Internal, 500}, {fault.Invalid, 400}, {fault.Missing, 400}, {fault.Malformed, 400},
		{fault.TooLarge, 413}, {fault.UnsupportedType, 415}, {fault.Unauthenticated, 401},
		{fault.Expired, 401}, {fault.Replayed, 401}, {fault.Forbidden, 403},
		{fault.LimitExceeded, 403}, {fault.NotFound, 404}, {fault.UnknownAction, 404},
		{fault.BadMethod, 405}, {fault.Exists, 409}, {fault.Timeout, 500}, {fault.Busy, 503},
		{fault.Kind(200), 500},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			if got := Status(tt.kind); got != tt.want {
				t.Errorf("Status(%v) = %d, want %d", tt.kind, got, tt.want)
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		title  string
		desc   string
	}{
		{"invalid", fault.New(fault.Invalid, "bit_length", "value is less than the minimum of 1"), 400, "Bad Request",
			"Provided object does not match schema 'Secret': value is less than the minimum of 1. Invalid property: 'bit_length'"},
		{"missing", fault.New(fault.Missing, "payload", "payload must be provided when payload_content_type is specified"), 400, "Bad Request",
			"Provided object does not match schema 'Secret': payload must be provided when payload_content_type is specified. Invalid property: 'payload'"},
		{"malformed", fault.New(fault.Malformed, "", ""), 400, "Bad Request", "Malformed JSON"},
		{"too_large", fault.New(fault.TooLarge, "", "request body is over 10000 bytes"), 413, "Request Entity Too Large",
			"Provided information too large to process"},
		{"unsupported_type", fault.New(fault.UnsupportedType, "", "x"), 415, "Unsupported Media Type",
			"Unexpected content type. Expected content types are: ['application/json']"},
		{"forbidden", fault.New(fault.Forbidden, "", "tenant"), 403, "Forbidden",
			"Secret creation attempt not allowed - please review your user/project privileges"},
		{"quota", fault.New(fault.LimitExceeded, "k5-keymanager/count/t", ""), 403, "Forbidden",
			"Secret creation issue seen - Creation not allowed because a quota has been reached."},
		{"not_found", fault.New(fault.NotFound, "", "Secret not found."), 404, "Not Found", "Secret not found."},
		{"bad_method", fault.New(fault.BadMethod, "", ""), 405, "Method Not Allowed", "Method Not Allowed"},
		{"exists", fault.New(fault.Exists, "k5-keymanager/secret/t/u", "Secret already has data, cannot modify it."), 409, "Conflict",
			"Secret already has data, cannot modify it."},
		{"internal", errors.New("bolt: database not open at /var/lib/secret-path"), 500, "Internal Server Error",
			"Secret creation failure seen - please contact site administrator."},
		{"timeout", fault.New(fault.Timeout, "", "dynamodb: i/o timeout on secret-host"), 500, "Internal Server Error",
			"Secret creation failure seen - please contact site administrator."},
		{"busy", fault.New(fault.Busy, "", "body budget"), 503, "Service Unavailable",
			"Secret creation failure seen - the service is busy, please retry later."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			SecretCreation.WriteError(rec, httptest.NewRequest(http.MethodPost, "/v1/t/secrets", nil), tt.err)
			if rec.Code != tt.status {
				t.Errorf("status: got %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type: got %q, want application/json", got)
			}
			var env Envelope
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			want := Envelope{Code: tt.status, Title: tt.title, Description: tt.desc}
			if env != want {
				t.Errorf("body: got %+v, want %+v", env, want)
			}
			golden(t, tt.name, rec.Body.Bytes())
		})
	}
}

func TestWriteErrorUnauthenticated(t *testing.T) {
	for _, k := range []fault.Kind{fault.Unauthenticated, fault.Expired, fault.Replayed} {
		t.Run(k.String(), func(t *testing.T) {
			rec := httptest.NewRecorder()
			SecretCreation.WriteError(rec, httptest.NewRequest(http.MethodPost, "/", nil), fault.New(k, "", "bad token value"))
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("status: got %d, want 401", rec.Code)
			}
			if bytes.Contains(rec.Body.Bytes(), []byte("bad token value")) {
				t.Errorf("body %s echoes the fault reason", rec.Body)
			}
			golden(t, "unauthorized", rec.Body.Bytes())
		})
	}
}

// golden compares got with testdata/<name>.json, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name+".json"), append(got, '\n'))
}

func TestWriteErrorNotesOutcome(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantCode  string
		wantCause bool
	}{
		{"client fault has no cause", fault.New(fault.Invalid, "name", "bad"), `"code":"Bad Request"`, false},
		{"server fault logs its cause", errors.New("disk on fire"), `"code":"Internal Server Error"`, true},
		{"401", fault.New(fault.Unauthenticated, "", ""), `"code":"Unauthorized"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			h := web.Logged(slog.New(slog.NewJSONHandler(&log, nil)), audit.NewWriter(io.Discard), "test",
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { SecretCreation.WriteError(w, r, tt.err) }))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
			if id := rec.Header().Get(RequestIDHeader); !strings.HasPrefix(id, "req-") || !strings.Contains(log.String(), id[len("req-"):]) {
				t.Errorf("%s: got %q, want req-<the logged request id>", RequestIDHeader, id)
			}
			if !strings.Contains(log.String(), tt.wantCode) {
				t.Errorf("log line %s: want %s", log.String(), tt.wantCode)
			}
			if got := strings.Contains(log.String(), "disk on fire"); got != tt.wantCause {
				t.Errorf("log line %s: cause logged = %v, want %v", log.String(), got, tt.wantCause)
			}
		})
	}
}
