package localserver

import (
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"keyport/shared/credentials"
)

// TestRoutesAnswerInVendorEnvelopes checks the local mux: every native path reaches its
// operation, and a wrong method or action is answered in that vendor's envelope, not by the
// mux's plain-text 404/405.
func TestRoutesAnswerInVendorEnvelopes(t *testing.T) {
	srv := newTestServer(t)

	tests := []struct {
		name, method, path string
		header             map[string]string
		wantStatus         int
		wantField, want    string // a top-level (or Response.Error) JSON field and its value
	}{
		{"alibaba wrong method", "PATCH", "/v1/secrets", nil, 405, "code", "UnsupportedOperation"},
		{"alibaba unsigned read", "GET", "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx", nil, 400, "code", "IncompleteSignature"},
		{"alibaba unsigned", "POST", "/v1/secrets", nil, 400, "code", "IncompleteSignature"},
		{"tencent GET", "GET", "/", map[string]string{"X-TC-Action": "CreateApiKey"}, 200, "Code", "UnsupportedProtocol"},
		{"tencent PUT", "PUT", "/", nil, 200, "Code", "UnsupportedProtocol"},
		{"openstack discovery", "GET", "/", nil, 300, "", ""},
		{"barbican version", "GET", "/v1/", nil, 200, "", ""},
		{"keystone version", "GET", "/v3", nil, 200, "", ""},
		{"keystone unauthenticated", "POST", "/v3/auth/tokens", map[string]string{"Content-Type": "application/json"}, 400, "", ""},
		{"barbican secret unauthenticated", "GET", "/v1/secrets/6f9619ff-8b86-4d11-b42d-00cf4fc964ff", nil, 401, "", ""},
		{"tencent unknown action", "POST", "/", map[string]string{"Content-Type": "application/json", "X-TC-Action": "DeleteEverything"}, 200, "Code", "InvalidAction"},
		{"tencent apigateway unsigned", "POST", "/", map[string]string{"Content-Type": "application/json", "X-TC-Action": "CreateApiKey", "X-TC-Version": "2018-08-08"}, 200, "Code", "AuthFailure.InvalidAuthorization"},
		{"tencent teo unsigned", "POST", "/", map[string]string{"Content-Type": "application/json", "X-TC-Action": "CreateMultiPathGatewaySecretKey", "X-TC-Version": "2022-09-01"}, 200, "Code", "AuthFailure.InvalidAuthorization"},
		{"gcore wrong method", "PUT", "/cloud/v1/secrets/1/76", map[string]string{"Authorization": "APIKey keyport-local-dev"}, 405, "exception_class", "HTTPError"},
		{"gcore unauthenticated", "POST", "/cloud/v1/secrets/1/76", nil, 401, "exception_class", "NotAuthenticated"},
		{"gcore task unknown", "GET", "/cloud/v1/tasks/d478ae29-dedc-4869-82f0-96104425f565", map[string]string{"Authorization": "APIKey keyport-local-dev"}, 404, "exception_class", "NotFoundError"},
		{"k5 wrong method", "PATCH", "/v1/" + credentials.DevK5Tenant + "/secrets", nil, 405, "title", "Method Not Allowed"},
		{"k5 unauthenticated", "POST", "/v1/" + credentials.DevK5Tenant + "/secrets", nil, 401, "", ""},
		// Identity decides before the path: a token on Alibaba's path is upstream Barbican's.
		{"token on /v1/secrets", "PATCH", "/v1/secrets", map[string]string{"X-Auth-Token": credentials.DevK5Token}, 405, "title", "Method Not Allowed"},
		{"barbican unknown id", "GET", "/v1/secrets/6f9619ff-8b86-4d11-b42d-00cf4fc964ff", map[string]string{"X-Auth-Token": credentials.DevK5Token}, 404, "description", "Secret not found."},
		{"barbican unauthenticated", "GET", "/v1/secrets/6f9619ff-8b86-4d11-b42d-00cf4fc964ff", map[string]string{"X-Auth-Token": "nope"}, 401, "", ""},
		// An OpenStack client whose endpoint lacks /v1 gets a body it can print.
		{"token without /v1", "GET", "/secrets", map[string]string{"X-Auth-Token": credentials.DevK5Token}, 404, "title", "Not Found"},
		{"alibaba signature on a K5 path", "POST", "/v1/" + credentials.DevK5Tenant + "/secrets", map[string]string{"Authorization": "ACS3-HMAC-SHA256 Credential=x"}, 404, "code", "NotFound"},
		{"alibaba unknown path", "GET", "/v1/secrets/a/b/c", nil, 404, "code", "NotFound"},
		{"gcore unknown path", "GET", "/cloud/v1/nothing", map[string]string{"Authorization": "APIKey keyport-local-dev"}, 404, "exception_class", "NotFoundError"},
		{"no dialect", "GET", "/nowhere", nil, 404, "code", "NotFound"},
		{"no dialect POST", "POST", "/v2/secrets", nil, 404, "code", "NotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader("{}"))
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type: got %q, want JSON", ct)
			}
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if tt.wantField == "" {
				return
			}
			if r, ok := body["Response"].(map[string]any); ok { // Tencent nests its error
				body, _ = r["Error"].(map[string]any)
			}
			if got := body[tt.wantField]; got != tt.want {
				t.Errorf("%s: got %v, want %q (body %v)", tt.wantField, got, tt.want, body)
			}
		})
	}
}

// TestCPUProfileFlag: -cpuprofile writes a CPU profile (gzipped protobuf) of the run when the
// server stops; without it, nothing is profiled.
func TestCPUProfileFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	cfg, err := parseConfig([]string{"-store", "memory", "-cpuprofile", path}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	_, _, stop := startServerWith(t, cfg)
	stop()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("profile: %d bytes, %v; want a gzipped profile", len(b), err)
	}
	if cfg, _ := parseConfig(nil, func(string) string { return "" }); cfg.cpuProfile != "" {
		t.Errorf("cpuprofile defaults to %q, want none", cfg.cpuProfile)
	}
}

// TestTuneGC: keyport's collector is GOGC=400 under a soft limit of twice the body budget plus
// 32 MiB, unless Go's own GOGC or GOMEMLIMIT is set, which then rule.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	cfg, err := ParseArgs([]string{"-body-budget-mib", "20"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		cfg.TuneGC(func(name string) string { return map[string]string{env: "off"}[name] })
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("with %s set: GOGC became %d, want it left alone", env, got)
		}
		if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
			t.Errorf("with %s set: memory limit became %d, want it left alone", env, got)
		}
	}
	cfg.TuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != 400 {
		t.Errorf("GOGC %d, want 400", got)
	}
	if got, want := debug.SetMemoryLimit(math.MaxInt64), int64(2*20+32)<<20; got != want {
		t.Errorf("memory limit %d, want %d", got, want)
	}
}
