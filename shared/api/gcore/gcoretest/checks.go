package gcoretest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"keyport/shared/store"
)

// APIKey is an Authorization header carrying token in Gcore's APIKey scheme.
func APIKey(token string) http.Header { return Header("Authorization", "APIKey "+token) }

// CheckRefusal checks that w is Gcore's error envelope with status and exception class, a
// message containing msg, and invalid_fields naming exactly fields, each of which the message
// also quotes. It returns the envelope.
func CheckRefusal(t *testing.T, w *httptest.ResponseRecorder, status int, class string, fields []string, msg string) ErrorBody {
	t.Helper()
	got := DecodeError(t, w.Body.Bytes())
	if w.Code != status || got.ExceptionClass != class || !strings.Contains(got.Message, msg) {
		t.Fatalf("got %d %s %q, want %d %s %q", w.Code, got.ExceptionClass, got.Message, status, class, msg)
	}
	if len(got.InvalidFields) != len(fields) {
		t.Errorf("invalid_fields: got %v, want %v", got.InvalidFields, fields)
	}
	for _, f := range fields {
		if len(got.InvalidFields[f]) == 0 || !strings.Contains(got.Message, "'"+f+"'") {
			t.Errorf("field %s not named: %q %v", f, got.Message, got.InvalidFields)
		}
	}
	return got
}

// CheckBadMethod checks that w is 405 HTTPError and, unless allow is "", that its Allow header
// is allow: what an operation's handler answers to another method when mounted alone.
func CheckBadMethod(t *testing.T, w *httptest.ResponseRecorder, allow string) {
	t.Helper()
	got := DecodeError(t, w.Body.Bytes())
	if w.Code != 405 || got.ExceptionClass != "HTTPError" || allow != "" && w.Header().Get("Allow") != allow {
		t.Fatalf("got %d %s Allow=%q, want 405 HTTPError Allow=%s", w.Code, got.ExceptionClass, w.Header().Get("Allow"), allow)
	}
}

// CheckInternal checks that w is 500 InternalServerError and returns the envelope, for the
// caller to check that it does not echo the cause.
func CheckInternal(t *testing.T, w *httptest.ResponseRecorder) ErrorBody {
	t.Helper()
	got := DecodeError(t, w.Body.Bytes())
	if w.Code != 500 || got.ExceptionClass != "InternalServerError" {
		t.Fatalf("got %d %s %q, want 500 InternalServerError", w.Code, got.ExceptionClass, got.Message)
	}
	return got
}

// BrokenGetter is a store whose Get answers Rec and Err, to inject server faults. It has no
// other call: the restricted store an operation runs on refuses any it does not declare.
type BrokenGetter struct {
	store.Store
	Rec store.Record
	Err error
}

// Get returns b.Rec, b.Err.
func (b BrokenGetter) Get(context.Context, store.Ref) (store.Record, error) { return b.Rec, b.Err }

// BrokenLister is a store whose List answers Page and Err, to inject server faults. It has no
// other call (see BrokenGetter).
type BrokenLister struct {
	store.Store
	Page store.Page
	Err  error
}

// List returns b.Page, b.Err.
func (b BrokenLister) List(context.Context, store.Query) (store.Page, error) { return b.Page, b.Err }

// SetSDKHeaders sets the headers Gcore's Go SDK (gcore-go, Stainless-generated) sends on every
// request, with authorization ("APIKey <token>") as its Authorization, so a test request looks
// exactly like the SDK's. Content-Type is the caller's, as the SDK sends it only with a body.
func SetSDKHeaders(req *http.Request, authorization string) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", authorization)
	req.Header.Set("User-Agent", "Gcore/Go 0.1.0")
	req.Header.Set("X-Stainless-Retry-Count", "0")
	req.Header.Set("X-Stainless-Lang", "go")
	req.Header.Set("X-Stainless-Package-Version", "0.1.0")
	req.Header.Set("X-Stainless-OS", "Linux")
	req.Header.Set("X-Stainless-Arch", "x64")
	req.Header.Set("X-Stainless-Runtime", "go")
	req.Header.Set("X-Stainless-Runtime-Version", runtime.Version())
}
