package tencent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/web"
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 8, 21, 23, 59, 0, 0, time.UTC)

type echoParams struct {
	Name  string
	N     int64
	Items []struct{ K string }
}

var errSecretCause = errors.New("disk on fire at /var/secret")

func testRouter() http.Handler {
	echo := tencent.Action{Name: "Echo", Service: "apigateway", Version: "2018-08-08",
		Handle: func(ctx context.Context, c tencent.Call) (any, error) {
			var p echoParams
			if err := tencent.Decode(c.Body, &p); err != nil {
				return nil, err
			}
			return map[string]any{"Name": p.Name, "Account": c.Account, "Region": c.Region}, nil
		}}
	empty := tencent.Action{Name: "Empty", Service: "teo", Version: "2022-09-01",
		Handle: func(ctx context.Context, c tencent.Call) (any, error) { return struct{}{}, nil }}
	broken := tencent.Action{Name: "Broken", Service: "teo", Version: "2022-09-01",
		Handle: func(ctx context.Context, c tencent.Call) (any, error) { return nil, errSecretCause }}
	notObject := tencent.Action{Name: "NotObject", Service: "teo", Version: "2022-09-01",
		Handle: func(ctx context.Context, c tencent.Call) (any, error) { return []string{"x"}, nil }}
	return tencent.Router(credentials.Dev(), func() time.Time { return now }, echo, empty, broken, notObject)
}

func echo(body string) tencenttest.Request {
	return tencenttest.Request{Action: "Echo", Version: "2018-08-08", Service: "apigateway", Body: body, Time: now, Region: "ap-guangzhou"}
}

func TestRouterSuccess(t *testing.T) {
	tests := []struct {
		name string
		req  tencenttest.Request
		want string
	}{
		{"fields next to RequestId", echo(`{"Name":"n"}`),
			`{"Response":{"Account":"100000000001","Name":"n","Region":"ap-guangzhou","RequestId":"00000000-0000-4000-8000-000000000000"}}`},
		{"empty result", tencenttest.Request{Action: "Empty", Version: "2022-09-01", Service: "teo", Time: now},
			`{"Response":{"RequestId":"00000000-0000-4000-8000-000000000000"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tencenttest.Serve(t, testRouter(), tt.req.HTTP(t))
			if got := string(tencenttest.Normalise(w.Body.Bytes())); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRouterRequestForm(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(r *http.Request) *http.Request
		wantCode string
	}{
		{"GET", func(r *http.Request) *http.Request { r.Method = http.MethodGet; return r }, "UnsupportedProtocol"},
		{"PUT", func(r *http.Request) *http.Request { r.Method = http.MethodPut; return r }, "UnsupportedProtocol"},
		{"form body", func(r *http.Request) *http.Request {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, "UnsupportedProtocol"},
		{"no content type", func(r *http.Request) *http.Request { r.Header.Del("Content-Type"); return r }, "UnsupportedProtocol"},
		{"body over 10 MB", func(r *http.Request) *http.Request {
			big := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(make([]byte, tencent.MaxBody+1)))
			big.Header = r.Header
			return big
		}, "RequestSizeLimitExceeded"},
		{"body over 10 MB, no length", func(r *http.Request) *http.Request {
			big := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(bytes.NewReader(make([]byte, tencent.MaxBody)), strings.NewReader("x")))
			big.Header, big.ContentLength = r.Header, -1
			return big
		}, "RequestSizeLimitExceeded"},
		{"no action", func(r *http.Request) *http.Request { r.Header.Del("X-TC-Action"); return r }, "InvalidAction"},
		{"unknown action", func(r *http.Request) *http.Request { r.Header.Set("X-TC-Action", "DeleteApiKey"); return r }, "InvalidAction"},
		{"action in other case", func(r *http.Request) *http.Request { r.Header.Set("X-TC-Action", "echo"); return r }, "InvalidAction"},
		{"other version", func(r *http.Request) *http.Request { r.Header.Set("X-TC-Version", "2017-03-12"); return r }, "NoSuchVersion"},
		{"no version", func(r *http.Request) *http.Request { r.Header.Del("X-TC-Version"); return r }, "NoSuchVersion"},
		{"as signed", func(r *http.Request) *http.Request { return r }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.mutate(echo(`{"Name":"n"}`).HTTP(t))
			w := tencenttest.Serve(t, testRouter(), r)
			if got := tencenttest.Code(t, w.Body.Bytes()); got != tt.wantCode {
				t.Errorf("got code %q, want %q (body %s)", got, tt.wantCode, w.Body)
			}
		})
	}
}

func TestRouterAcceptsJSONWithCharset(t *testing.T) {
	q := echo(`{"Name":"n"}`)
	q.ContentType = "application/json; charset=utf-8"
	w := tencenttest.Serve(t, testRouter(), q.HTTP(t))
	if got := tencenttest.Code(t, w.Body.Bytes()); got != "" {
		t.Errorf("got code %q, want success (body %s)", got, w.Body)
	}
}

// TestRouterContentTypeIsSigned checks that changing the signed Content-Type after signing
// fails the signature, not the request-form check.
func TestRouterContentTypeIsSigned(t *testing.T) {
	r := echo(`{"Name":"n"}`).HTTP(t)
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	w := tencenttest.Serve(t, testRouter(), r)
	if got := tencenttest.Code(t, w.Body.Bytes()); got != "AuthFailure.SignatureFailure" {
		t.Errorf("got code %q, want AuthFailure.SignatureFailure", got)
	}
}

func TestRouterDecode(t *testing.T) {
	tests := []struct {
		name, body, wantCode, wantInMessage string
	}{
		{"not JSON", `{"Name":`, "InvalidParameter", "not valid JSON"},
		{"JSON array", `[]`, "InvalidParameter", "JSON object"},
		{"JSON null", `null`, "InvalidParameter", "JSON object"},
		{"unknown parameter", `{"Name":"n","Colour":"red"}`, "UnknownParameter", "Colour"},
		{"wrong case is unknown", `{"name":"n"}`, "UnknownParameter", "name"},
		{"nested unknown", `{"Items":[{"K":"a"},{"K":"b","V":1}]}`, "UnknownParameter", "Items.1.V"},
		{"string for integer", `{"N":"1"}`, "InvalidParameter", "N must be a JSON integer"},
		{"number for string", `{"Name":1}`, "InvalidParameter", "Name must be a JSON string"},
		{"object for array", `{"Items":{}}`, "InvalidParameter", "Items must be a JSON array"},
		{"nested wrong type", `{"Items":[{"K":true}]}`, "InvalidParameter", "Items.K must be a JSON string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tencenttest.Serve(t, testRouter(), echo(tt.body).HTTP(t))
			var e tencenttest.Envelope
			_ = json.Unmarshal(w.Body.Bytes(), &e)
			if got := tencenttest.Code(t, w.Body.Bytes()); got != tt.wantCode {
				t.Fatalf("got code %q, want %q (body %s)", got, tt.wantCode, w.Body)
			}
			if !strings.Contains(e.Response.Error.Message, tt.wantInMessage) {
				t.Errorf("got message %q, want it to contain %q", e.Response.Error.Message, tt.wantInMessage)
			}
		})
	}
}

// TestRouterInternalError checks that a server fault is InternalError with a generic message,
// and that its cause reaches the log line but not the client.
func TestRouterInternalError(t *testing.T) {
	for _, action := range []string{"Broken", "NotObject"} {
		t.Run(action, func(t *testing.T) {
			var logs bytes.Buffer
			h := web.Logged(slog.New(slog.NewJSONHandler(&logs, nil)), audit.NewWriter(io.Discard), "test", testRouter())
			w := tencenttest.Serve(t, h, tencenttest.Request{Action: action, Version: "2022-09-01", Service: "teo", Time: now}.HTTP(t))
			if got := tencenttest.Code(t, w.Body.Bytes()); got != "InternalError" {
				t.Errorf("got code %q, want InternalError", got)
			}
			if strings.Contains(w.Body.String(), "fire") || strings.Contains(w.Body.String(), "marshal") {
				t.Errorf("body %s echoes the internal cause", w.Body)
			}
			if !strings.Contains(logs.String(), `"code":"InternalError"`) || !strings.Contains(logs.String(), `"cause":`) {
				t.Errorf("log %s lacks the code or the cause", logs.String())
			}
		})
	}
}

func TestRouterRequestIDFromMiddleware(t *testing.T) {
	var id string
	h := web.Logged(slog.New(slog.DiscardHandler), audit.NewWriter(io.Discard), "test", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id = web.RequestID(r.Context())
		testRouter().ServeHTTP(w, r)
	}))
	w := tencenttest.Serve(t, h, echo(`{}`).HTTP(t))
	var e tencenttest.Envelope
	_ = json.Unmarshal(w.Body.Bytes(), &e)
	if e.Response.RequestID != id || id == "" {
		t.Errorf("got RequestId %q, want the middleware's %q", e.Response.RequestID, id)
	}
}

func TestRouterPanicsOnDuplicateAction(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("got no panic, want one")
		}
	}()
	a := tencent.Action{Name: "A"}
	tencent.Router(credentials.Dev(), nil, a, a)
}

func TestCodeAndMessage(t *testing.T) {
	tests := []struct {
		err      *fault.Error
		wantCode string
		wantMsg  string
	}{
		{fault.New(fault.Missing, "SecretName", "is required"), "MissingParameter", "SecretName is required."},
		{fault.New(fault.Invalid, "ZoneId", "must look like zone-xxx"), "InvalidParameterValue", "ZoneId must look like zone-xxx."},
		{fault.New(fault.Malformed, "", "The request body is not valid JSON."), "InvalidParameter", "The request body is not valid JSON."},
		{fault.New(fault.TooLarge, "", "too big"), "RequestSizeLimitExceeded", "too big"},
		{fault.New(fault.Unauthenticated, "", "x"), "AuthFailure.SignatureFailure", "x"},
		{fault.New(fault.Expired, "", "x"), "AuthFailure.SignatureExpire", "x"},
		{fault.New(fault.UnknownAction, "", "x"), "InvalidAction", "x"},
		{fault.New(fault.BadMethod, "", "x"), "UnsupportedProtocol", "x"},
		{fault.New(fault.LimitExceeded, "", "x"), "LimitExceeded", "x"},
		{fault.New(fault.Exists, "", "x"), "ResourceInUse", "x"},
		{fault.New(fault.Internal, "", "secret detail"), "InternalError", "An internal error occurred. Retry later; if it persists, report the RequestId."},
		{fault.New(fault.Exists, "", "x").WithCode("FailedOperation.AccessKeyExist"), "FailedOperation.AccessKeyExist", "x"},
		{fault.New(fault.Invalid, "F", ""), "InvalidParameterValue", "F is invalid."},
		{&fault.Error{Kind: fault.Kind(200)}, "InternalError", "The request failed: kind(200)."},
		{fault.New(fault.Timeout, "", "secret detail"), "InternalError", "The request did not complete in time and may or may not have taken effect. Check whether the resource exists before retrying; if it persists, report the RequestId."},
		{fault.New(fault.Busy, "", "secret detail"), "RequestLimitExceeded", "The server is busy with other requests. Nothing was done; retry later."},
	}
	for _, tt := range tests {
		t.Run(tt.wantCode+"/"+tt.err.Error(), func(t *testing.T) {
			if got := tencent.Code(tt.err); got != tt.wantCode {
				t.Errorf("got code %q, want %q", got, tt.wantCode)
			}
			if got := tencent.Message(tt.err); got != tt.wantMsg {
				t.Errorf("got message %q, want %q", got, tt.wantMsg)
			}
		})
	}
}
