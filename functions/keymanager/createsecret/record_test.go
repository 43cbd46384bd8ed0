package createsecret

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/store"
)

func TestIsoformat(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), "2030-01-02T03:04:05"},
		{time.Date(2030, 1, 2, 3, 4, 5, 180394000, time.UTC), "2030-01-02T03:04:05.180394"},
		{time.Date(2030, 1, 2, 3, 4, 5, 1000, time.UTC), "2030-01-02T03:04:05.000001"},
		{time.Date(2030, 1, 2, 3, 4, 5, 999, time.UTC), "2030-01-02T03:04:05"},
		{time.Date(2030, 1, 2, 12, 0, 0, 0, time.FixedZone("JST", 9*3600)), "2030-01-02T03:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := isoformat(tt.in); got != tt.want {
				t.Errorf("isoformat(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRecordTimes(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.UTC)
	req, err := decode([]byte(`{"expiration":"2030-01-02T03:04:05.1234567"}`), now, k5Rules)
	if err != nil {
		t.Fatal(err)
	}
	rec := req.record("t", "id", now, keymanager.K5)
	if want := time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC); !rec.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt: got %v, want %v (microseconds, as Barbican keeps it)", rec.ExpiresAt, want)
	}
	if !rec.CreatedAt.Equal(now) {
		t.Errorf("CreatedAt: got %v, want %v", rec.CreatedAt, now)
	}
	if got, want := rec.Attrs.String("expiration"), "2030-01-02T03:04:05.123456"; got != want {
		t.Errorf("expiration attr: got %q, want %q", got, want)
	}
	if got, want := rec.Ref, (store.Ref{Service: "k5-keymanager", Tenant: "t", Kind: "secret", ID: "id"}); got != want {
		t.Errorf("Ref: got %v, want %v", got, want)
	}
}

func TestTenantID(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/v1/abc/secrets", "abc"},
		{"/prod/v1/abc/secrets", "abc"}, // an API Gateway stage in front
		{"/v1/abc/secrets/x", ""},
		{"/v1/a/b/secrets", ""},
		{"/v2/abc/secrets", ""},
		{"/secrets", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			// Straight to the function, no ServeMux: PathValue is empty.
			if got := tenantID(httptest.NewRequest(http.MethodPost, tt.path, nil)); got != tt.want {
				t.Errorf("tenantID(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestSecretRef(t *testing.T) {
	tests := []struct {
		name, proto string
		tls         bool
		want        string
	}{
		{name: "plain", want: "http://kp.example:9311/v1/t/secrets/u"},
		{name: "forwarded https", proto: "HTTPS", want: "https://kp.example:9311/v1/t/secrets/u"},
		{name: "forwarded list", proto: "https,http", want: "https://kp.example:9311/v1/t/secrets/u"},
		{name: "forwarded junk", proto: "gopher", want: "http://kp.example:9311/v1/t/secrets/u"},
		{name: "tls", tls: true, proto: "http", want: "https://kp.example:9311/v1/t/secrets/u"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "http://kp.example:9311/v1/t/secrets", nil)
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := keymanager.K5.SecretRef(r, "t", "u"); got != tt.want {
				t.Errorf("secretRef: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsJSON(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"Application/JSON;charset", true}, // webob keeps only the part before ';'
		{" application/json ", true},
		{"", false},
		{"application/jsonp", false},
		{"text/json", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := isJSON(tt.in); got != tt.want {
				t.Errorf("isJSON(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
