package alibaba

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
	"keyport/shared/fault"
	"keyport/shared/web"
)

func TestWriteOK(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteOK(rec, httptest.NewRequest("POST", "/v1/secrets", nil), map[string]string{"secretId": "sec-1"})
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	id, _ := got["requestId"].(string)
	if rec.Code != 200 || got["code"] != "Ok" || got["message"] != "success" || id == "" ||
		got["data"].(map[string]any)["secretId"] != "sec-1" {
		t.Errorf("got %d %s, want 200 with Ok envelope", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != ContentType {
		t.Errorf("got Content-Type %q, want %q", ct, ContentType)
	}
	if h := rec.Header().Get("x-acs-request-id"); h != id {
		t.Errorf("got x-acs-request-id %q, want the body's %q", h, id)
	}
}

// TestWriteErrorLogsCauseNotBody renders an internal error through web.Logged and checks that
// the cause reaches the log line only, and the code reaches both.
func TestWriteErrorLogsCauseNotBody(t *testing.T) {
	var logs bytes.Buffer
	cause := errors.New("kms: AccessDenied for arn:aws:kms:secret-key")
	h := web.Logged(slog.New(slog.NewJSONHandler(&logs, nil)), audit.NewWriter(io.Discard), "op", http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { WriteError(w, r, cause) }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/secrets", nil))
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 500 || body["code"] != "InternalError" || body["message"] != internalMessage || body["requestId"] == "" {
		t.Errorf("got %d %v, want 500 InternalError with the generic message", rec.Code, body)
	}
	if strings.Contains(rec.Body.String(), "kms") {
		t.Errorf("got body %s, want no internal cause", rec.Body)
	}
	if !strings.Contains(logs.String(), "AccessDenied") || !strings.Contains(logs.String(), `"code":"InternalError"`) ||
		!strings.Contains(logs.String(), body["requestId"]) {
		t.Errorf("got log %s, want the cause, code and request id", logs.String())
	}
}

func TestWriteErrorClientFaultLogsNoCause(t *testing.T) {
	var logs bytes.Buffer
	h := web.Logged(slog.New(slog.NewJSONHandler(&logs, nil)), audit.NewWriter(io.Discard), "op", http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			WriteError(w, r, fault.New(fault.Missing, "name", "is required"))
		}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/secrets", nil))
	if rec.Code != 400 || !strings.Contains(logs.String(), `"code":"MissingParameter"`) || strings.Contains(logs.String(), "cause") {
		t.Errorf("got %d, log %s; want 400 with code and no cause", rec.Code, logs.String())
	}
}
