package keymanager

import (
	"net/http"
	"net/url"
	"strings"

	"keyport/shared/credentials"
	"keyport/shared/fault"
)

// Layout is one of the two URL layouts a Barbican API is reached under. K5 puts the tenant in
// the path (/v1/{tenant_id}/secrets…) and checks it against the token; upstream Barbican
// (/v1/secrets…) takes the project from the token. Both address the same secrets: a K5 tenant id
// is the Keystone project id its tokens are scoped to, so one token's secrets are the same
// whichever layout its client speaks, as on a Barbican deployment reached both ways.
//
// The layout also picks the rules: K5's (its name and PEM rules, 10000-byte requests) or
// upstream Barbican's (docs/wire/keymanager.md, "Two layouts").
type Layout struct {
	// Upstream is true for upstream Barbican's layout, false for K5's.
	Upstream bool
}

// The two layouts.
var (
	K5       = Layout{}
	Upstream = Layout{Upstream: true}
)

// Dialect names the layout as operation rows do ("k5" or "barbican"): the dialect, and the
// prefix of its operations' names and functions.
func (l Layout) Dialect() string {
	if l.Upstream {
		return "barbican"
	}
	return "k5"
}

// API names the HTTP API that serves the layout: "K5" or "Barbican". One API cannot serve both:
// upstream's GET /v1/secrets/{id} and K5's GET /v1/{tenant_id}/secrets match the same paths.
func (l Layout) API() string {
	if l.Upstream {
		return "Barbican"
	}
	return "K5"
}

// Prefix is the layout's path up to "/secrets", in ServeMux syntax.
func (l Layout) Prefix() string {
	if l.Upstream {
		return "/v1"
	}
	return "/v1/{tenant_id}"
}

// Pattern is "METHOD <prefix><rest>", a route of this layout.
func (l Layout) Pattern(method, rest string) string { return method + " " + l.Prefix() + rest }

// MaxRequest is the layout's limit on a request body (413 beyond it): K5's 10000 bytes,
// upstream Barbican's max_allowed_request_size_in_bytes of 25000.
func (l Layout) MaxRequest() int64 {
	if l.Upstream {
		return 25000
	}
	return 10000
}

// MaxSecret is the layout's limit on a payload's bytes (413 beyond it): upstream Barbican's
// max_allowed_secret_in_bytes of 20000; K5 documents only its request limit, which therefore
// bounds the payload too.
func (l Layout) MaxSecret() int {
	if l.Upstream {
		return 20000
	}
	return 10000
}

// ProjectHeader is the header python-barbicanclient sends with the project it means. keyport
// takes the project from the token, so the header may only repeat it.
const ProjectHeader = "X-Project-Id"

// project authenticates r's X-Auth-Token and returns its caller and the project the request
// addresses. An absent or unknown token is 401 (the same answer for both, so the token book
// cannot be probed). K5: a {tenant_id} other than the token's is 403. Upstream: an
// X-Project-Id naming another project is 403, as Barbican's policy check denies a project the
// token is not scoped to (docs/wire/keymanager.md, "Where the vendor is silent"). What the
// token's roles allow is Handle's decision (roles.go), not this scoping.
//
// shared marks a read a secret's read ACL opens to the users it lists (openedByACL): for a
// Keystone token in K5's layout, a {tenant_id} naming another project is then left to run,
// which lets only such a user through (docs/wire/keymanager.md, "Reads from another
// project"); the returned project is then the path's.
func (l Layout) project(r *http.Request, creds *credentials.Book, shared bool) (caller, string, error) {
	c, ok := authenticate(r, creds)
	if !ok {
		return caller{}, "", fault.New(fault.Unauthenticated, "X-Auth-Token", "missing or unknown token")
	}
	shared = shared && c.User != ""
	claimed, field := r.PathValue("tenant_id"), "tenant_id"
	if l.Upstream {
		claimed, field = r.Header.Get(ProjectHeader), ProjectHeader
		if claimed == "" {
			claimed = c.Project
		}
	}
	if claimed != c.Project && !(shared && !l.Upstream) {
		return caller{}, "", errNotScoped(field)
	}
	return c, claimed, nil
}

// errNotScoped is the 403 of a request naming another project than its token's.
func errNotScoped(field string) error {
	return fault.New(fault.Forbidden, field, "the token is not scoped to this project")
}

// base is the href every reference of project starts with: <scheme>://<host>/v1 upstream,
// <scheme>://<host>/v1/<tenant> for K5. It is built from the request as Barbican's
// get_base_url_from_request does when no host_href is configured: TLS or X-Forwarded-Proto
// picks the scheme, the Host header the authority, so hrefs point back where the client called.
func (l Layout) base(r *http.Request, project string) string {
	scheme := "http"
	if proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ","); strings.EqualFold(strings.TrimSpace(proto), "https") {
		scheme = "https"
	}
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	base := scheme + "://" + host + "/v1"
	if !l.Upstream {
		base += "/" + url.PathEscape(project)
	}
	return base
}
