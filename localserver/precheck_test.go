package localserver

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/web"
)

// TestOversizedHeadersGetEnvelopes sends each dialect a request whose headers (or path) are
// over maxHeaderBytes but under net/http's own limit: each is refused in its vendor's envelope,
// not net/http's plain-text 431, and nothing is written.
func TestOversizedHeadersGetEnvelopes(t *testing.T) {
	data := localdatatest.Open(t)
	srv := httptest.NewServer(newMux(services{store: data.Store, sealer: data.Sealer, creds: credentials.Dev(),
		logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), audit: audit.NewWriter(io.Discard), keyLimit: 500,
		now: time.Now, budget: web.ForWriteTimeout(defaultWriteTimeout), bodies: web.NewBodies(defaultBodyBudget)}))
	defer srv.Close()
	pad := strings.Repeat("p", maxHeaderBytes)
	tests := []struct {
		name, path string
		header     map[string]string
		wantStatus int
		wantField  string // a top-level (or Tencent Response.Error) JSON field
		want       string
	}{
		{"tencent", "/", map[string]string{"Content-Type": "application/json", "X-TC-Action": "CreateApiKey", "X-Padding": pad}, 200, "Code", "RequestSizeLimitExceeded"},
		{"alibaba", "/v1/secrets", map[string]string{"Authorization": "ACS3-HMAC-SHA256 Credential=x", "X-Padding": pad}, 413, "code", "EntityTooLarge"},
		{"gcore", "/cloud/v1/secrets/1/76", map[string]string{"Authorization": "APIKey " + credentials.DevGcoreAPIKey, "User-Agent": pad}, 413, "exception_class", "ValidationError"},
		{"gcore long path", "/cloud/v1/secrets/1/" + pad, map[string]string{"Authorization": "APIKey " + credentials.DevGcoreAPIKey}, 413, "exception_class", "ValidationError"},
		{"k5", "/v1/" + credentials.DevK5Tenant + "/secrets", map[string]string{"X-Auth-Token": credentials.DevK5Token, "X-Padding": pad}, 413, "title", "Request Entity Too Large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+tt.path, strings.NewReader("{}"))
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("status %d, body is not JSON: %v", resp.StatusCode, err)
			}
			if r, ok := body["Response"].(map[string]any); ok {
				body, _ = r["Error"].(map[string]any)
			}
			if resp.StatusCode != tt.wantStatus || body[tt.wantField] != tt.want {
				t.Errorf("got %d %s=%v, want %d %s", resp.StatusCode, tt.wantField, body[tt.wantField], tt.wantStatus, tt.want)
			}
		})
	}
	if n, err := data.Store.CountRecords(t.Context()); err != nil || n != 0 {
		t.Errorf("got %d records (%v), want none", n, err)
	}
}
