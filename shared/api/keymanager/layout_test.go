package keymanager

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/fault"
)

func TestLayoutProject(t *testing.T) {
	book := credentials.Dev()
	now := time.Now()
	seal := func(project string, expires time.Time) string {
		s, err := book.SealToken(credentials.Token{User: credentials.DevUserID, Project: project, Methods: []string{"password"}, Issued: now, Expires: expires})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	keystone := seal(credentials.DevK5Tenant, now.Add(time.Hour))
	tests := []struct {
		name    string
		layout  Layout
		token   string
		tenant  string // K5 path segment
		project string // X-Project-Id
		want    fault.Kind
	}{
		{"k5 own tenant", K5, credentials.DevK5Token, credentials.DevK5Tenant, "", 0},
		{"k5 other tenant", K5, credentials.DevK5Token, "other", "", fault.Forbidden},
		{"k5 no token", K5, "", credentials.DevK5Tenant, "", fault.Unauthenticated},
		{"upstream from the token", Upstream, credentials.DevK5Token, "", "", 0},
		{"upstream same X-Project-Id", Upstream, credentials.DevK5Token, "", credentials.DevK5Tenant, 0},
		{"upstream other X-Project-Id", Upstream, credentials.DevK5Token, "", "other", fault.Forbidden},
		{"upstream unknown token", Upstream, "nope", "", "", fault.Unauthenticated},
		{"k5 keystone token", K5, keystone, credentials.DevK5Tenant, "", 0},
		{"k5 keystone token, other tenant", K5, keystone, "other", "", fault.Forbidden},
		{"upstream keystone token", Upstream, keystone, "", "", 0},
		{"upstream keystone token, other X-Project-Id", Upstream, keystone, "", "other", fault.Forbidden},
		{"expired keystone token", Upstream, seal(credentials.DevK5Tenant, now.Add(-time.Second)), "", "", fault.Unauthenticated},
		{"tampered keystone token", Upstream, keystone[:len(keystone)-3] + "AAA", "", "", fault.Unauthenticated},
		{"keystone token for a project the user lost", Upstream, seal("gone", now.Add(time.Hour)), "", "", fault.Unauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.SetPathValue("tenant_id", tt.tenant)
			if tt.token != "" {
				r.Header.Set("X-Auth-Token", tt.token)
			}
			if tt.project != "" {
				r.Header.Set(ProjectHeader, tt.project)
			}
			got, _, err := tt.layout.project(r, book, false)
			if tt.want == 0 {
				if err != nil || got.Project != credentials.DevK5Tenant || (got.User != "") != (tt.token != credentials.DevK5Token) {
					t.Errorf("got %+v, %v; want the token's project", got, err)
				}
				return
			}
			if fault.KindOf(err) != tt.want {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLayoutBase(t *testing.T) {
	tests := []struct {
		name   string
		layout Layout
		setup  func(r *http.Request)
		want   string
	}{
		{"k5, the tenant escaped", K5, func(*http.Request) {}, "http://example.com/v1/t%2F1"},
		{"upstream", Upstream, func(*http.Request) {}, "http://example.com/v1"},
		{"forwarded https", Upstream, func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "HTTPS") }, "https://example.com/v1"},
		{"forwarded list", Upstream, func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https, http") }, "https://example.com/v1"},
		{"forwarded junk", K5, func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "gopher") }, "http://example.com/v1/t%2F1"},
		{"tls over a forwarded http", K5, func(r *http.Request) {
			r.TLS = &tls.ConnectionState{}
			r.Host = "h:8443"
			r.Header.Set("X-Forwarded-Proto", "http")
		}, "https://h:8443/v1/t%2F1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			tt.setup(r)
			if got := tt.layout.base(r, "t/1"); got != tt.want {
				t.Errorf("base: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLayoutNames(t *testing.T) {
	for _, tt := range []struct {
		l                    Layout
		dialect, api, prefix string
		maxRequest           int64
		maxSecret            int
	}{
		{K5, "k5", "K5", "/v1/{tenant_id}", 10000, 10000},
		{Upstream, "barbican", "Barbican", "/v1", 25000, 20000},
	} {
		if tt.l.Dialect() != tt.dialect || tt.l.API() != tt.api || tt.l.Prefix() != tt.prefix ||
			tt.l.MaxRequest() != tt.maxRequest || tt.l.MaxSecret() != tt.maxSecret {
			t.Errorf("%+v: got %s %s %s %d %d, want %s %s %s %d %d", tt.l, tt.l.Dialect(), tt.l.API(), tt.l.Prefix(), tt.l.MaxRequest(),
				tt.l.MaxSecret(), tt.dialect, tt.api, tt.prefix, tt.maxRequest, tt.maxSecret)
		}
	}
}
