package localserver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/web"
)

// edgeServer is the local server as `make run` builds it (request log, audit trail, body budget,
// time budget and the real http.Server timeouts), on a fresh store; it returns the log and the
// audit trail as they are written.
func edgeServer(t *testing.T) (addr string, logs, trail *syncBuffer) {
	t.Helper()
	return edgeServerOn(t, localdatatest.Open(t))
}

// edgeServerOn is edgeServer on data.
func edgeServerOn(t *testing.T, data *localdata.Data) (addr string, logs, trail *syncBuffer) {
	t.Helper()
	logs, trail = &syncBuffer{}, &syncBuffer{}
	h := newMux(services{store: data.Store, sealer: data.Sealer, creds: credentials.Dev(),
		logger: slog.New(slog.NewJSONHandler(logs, nil)), audit: audit.NewWriter(trail), keyLimit: 500,
		now: time.Now, budget: web.ForWriteTimeout(defaultWriteTimeout), bodies: web.NewBodies(defaultBodyBudget)})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadHeaderTimeout, srv.Config.ReadTimeout = 10*time.Second, 30*time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String(), logs, trail
}

// expectContinueCases are requests of every dialect that keyport refuses before it reads the
// body: each declares a body it will send only after "100 Continue".
var expectContinueCases = []struct {
	name, method, path string
	header             map[string]string
}{
	{"tencent wrong content type", "POST", "/", map[string]string{"Content-Type": "text/plain", "X-TC-Action": "CreateApiKey"}},
	{"tencent unknown version", "POST", "/", map[string]string{"Content-Type": "application/json", "X-TC-Action": "CreateApiKey", "X-TC-Version": "1999-01-01"}},
	{"alibaba refused header", "POST", "/v1/secrets", map[string]string{"Authorization": "ACS3-HMAC-SHA256 Credential=x", "Content-Type": "application/json"}},
	{"gcore unknown key", "POST", "/cloud/v1/secrets/1/76", map[string]string{"Authorization": "APIKey nope", "Content-Type": "application/json"}},
	{"k5 get with a body", "GET", "/v1/" + credentials.DevK5Tenant + "/secrets", map[string]string{"X-Auth-Token": credentials.DevK5Token}},
	{"barbican wrong content type", "POST", "/v1/secrets", map[string]string{"X-Auth-Token": credentials.DevK5Token, "Content-Type": "text/plain"}},
}

// TestExpectContinueIsNeverWaitedOn sends each request as a client that really waits for
// "100 Continue" before its body: the answer must come whole (the connection closed, since the
// body was never asked for) well within a second, never at the read timeout.
func TestExpectContinueIsNeverWaitedOn(t *testing.T) {
	addr, _, _ := edgeServer(t)
	for _, tt := range expectContinueCases {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			var req strings.Builder
			req.WriteString(tt.method + " " + tt.path + " HTTP/1.1\r\nHost: " + addr + "\r\nExpect: 100-continue\r\nContent-Length: 20\r\n")
			for k, v := range tt.header {
				req.WriteString(k + ": " + v + "\r\n")
			}
			req.WriteString("\r\n")
			if _, err := io.WriteString(conn, req.String()); err != nil {
				t.Fatal(err)
			}
			conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			start := time.Now()
			all, err := io.ReadAll(conn) // the whole answer, up to the server's close
			if err != nil {
				t.Fatalf("after %v: got %v reading %q, want the whole answer and a close", time.Since(start), err, all)
			}
			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(all)), nil)
			if err != nil {
				t.Fatalf("got %v parsing %q", err, all)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode == http.StatusContinue || !json.Valid(body) {
				t.Errorf("got %d %q (%v), want a complete JSON answer", resp.StatusCode, body, err)
			}
		})
	}
}

// TestNonCanonicalPathsAreAnsweredNotRedirected: a path with "//", "." or ".." segments is
// answered 404 by the dialect it belongs to, in its envelope, logged and audited; never
// ServeMux's redirect to the cleaned path (which a client following it would act on).
func TestNonCanonicalPathsAreAnsweredNotRedirected(t *testing.T) {
	addr, logs, trail := edgeServer(t)
	k5 := "/v1/" + credentials.DevK5Tenant + "/secrets"
	tests := []struct {
		method, path string
		header       map[string]string
		field        string // a top-level JSON field of the dialect's error envelope
	}{
		{"DELETE", "/v1/secrets/x/../0b5e9e2a-3c1b-4c8e-9a53-7f3f0f3e1a11", map[string]string{"X-Auth-Token": credentials.DevK5Token}, "title"},
		{"GET", k5 + "/./x", map[string]string{"X-Auth-Token": credentials.DevK5Token}, "title"},
		{"GET", "/v1//secrets", map[string]string{"X-Auth-Token": credentials.DevK5Token}, "title"},
		{"GET", "/v1/secrets/sec-1/..", map[string]string{"Authorization": "ACS3-HMAC-SHA256 Credential=x"}, "code"},
		{"GET", "/cloud/v1/secrets//1/76", map[string]string{"Authorization": "APIKey " + credentials.DevGcoreAPIKey}, "exception_class"},
		{"GET", "/cloud/v1/tasks/./x", map[string]string{"Authorization": "APIKey " + credentials.DevGcoreAPIKey}, "exception_class"},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		logs.Reset()
		trail.Reset()
		req, _ := http.NewRequest(tt.method, "http://"+addr+tt.path, nil)
		req.URL.Opaque = tt.path // sent as written: Go's client would not clean it, but be explicit
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var env map[string]any
		if resp.StatusCode != http.StatusNotFound || json.Unmarshal(body, &env) != nil || env[tt.field] == nil {
			t.Errorf("%s %s: got %d %s (Location %q), want 404 with %q in the dialect's envelope",
				tt.method, tt.path, resp.StatusCode, body, resp.Header.Get("Location"), tt.field)
		}
		if !strings.Contains(logs.String(), `"status":404`) || !strings.Contains(trail.String(), `"status":404`) {
			t.Errorf("%s %s: got log %q and audit %q, want the 404 in both", tt.method, tt.path, logs.String(), trail.String())
		}
	}
}
