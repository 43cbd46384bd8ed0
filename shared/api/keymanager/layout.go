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
type Layout struct {
	// Upstream is true for upstream Barbican's layout, false for K5's.
	Upstream bool
}

// The two layouts.
var (
	K5       = Layout{}
	Upstream = Layout{Upstream: true}
)

// Prefix is the layout's path up to "/secrets", in ServeMux syntax.
func (l Layout) Prefix() string {
	if l.Upstream {
		return "/v1"
	}
	return "/v1/{tenant_id}"
}

// Pattern is "METHOD <prefix><rest>", a route of this layout.
func (l Layout) Pattern(method, rest string) string { return method + " " + l.Prefix() + rest }

// ProjectHeader is the header python-barbicanclient sends with the project it means. keyport
// takes the project from the token, so the header may only repeat it.
const ProjectHeader = "X-Project-Id"

// Project authenticates r's X-Auth-Token and returns the project it reaches. An absent or
// unknown token is 401 (the same answer for both, so the token book cannot be probed). K5: a
// {tenant_id} other than the token's is 403. Upstream: an X-Project-Id naming another project is
// 403, as Barbican's policy check denies a project the token is not scoped to.
func (l Layout) Project(r *http.Request, creds *credentials.Book) (string, error) {
	tok, ok := Authenticate(r, creds)
	if !ok {
		return "", fault.New(fault.Unauthenticated, "X-Auth-Token", "missing or unknown token")
	}
	claimed, field := r.PathValue("tenant_id"), "tenant_id"
	if l.Upstream {
		claimed, field = r.Header.Get(ProjectHeader), ProjectHeader
		if claimed == "" {
			return tok.Tenant, nil
		}
	}
	if claimed != tok.Tenant {
		return "", fault.New(fault.Forbidden, field, "the token is not scoped to this project")
	}
	return tok.Tenant, nil
}

// Base is the href every reference of project starts with: <scheme>://<host>/v1 upstream,
// <scheme>://<host>/v1/<tenant> for K5. It is built from the request as Barbican's
// get_base_url_from_request does when no host_href is configured: TLS or X-Forwarded-Proto
// picks the scheme, the Host header the authority, so hrefs point back where the client called.
func (l Layout) Base(r *http.Request, project string) string {
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

// SecretRef is the href of secret id of project.
func (l Layout) SecretRef(r *http.Request, project, id string) string {
	return l.Base(r, project) + "/secrets/" + id
}

// Route returns a handler that serves h for pattern and answers every other request in op's
// envelope: 405 for another method on the same path, 404 for any other path. Mounted by an
// outer ServeMux under the same pattern the inner one matches again and sets the same path
// values; handed alone to the Lambda adapter it routes by itself, so h can rely on r.PathValue.
func Route(op Operation, pattern string, h http.Handler) http.Handler {
	method, path, _ := strings.Cut(pattern, " ")
	mux := http.NewServeMux()
	mux.Handle(pattern, h)
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", method)
		op.WriteError(w, r, fault.New(fault.BadMethod, "", "The method is not allowed for the requested URL."))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		op.WriteError(w, r, fault.New(fault.NotFound, "", "The requested resource could not be found."))
	})
	return mux
}
