package localserver

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"keyport/functions"
	"keyport/shared/api/gcore"
	"keyport/shared/operation"
	"keyport/shared/web"
)

// rule gives a request to a dialect when it matches. Rules are tried in order: a request's own
// identity (its signature scheme or token header) decides before its path, because upstream
// Barbican and Alibaba share paths such as /v1/secrets, the way LocalStack routes AWS requests
// by their signing service before their path.
type rule struct {
	dialect operation.Dialect
	matches func(r *http.Request) bool
}

var rules = []rule{
	// OpenStack discovery and identity: GET / (Tencent's API 3.0 is POST /, and a signed GET
	// stays Tencent's), /v1 and /v1/ (Barbican's version document), Keystone's /v3….
	{operation.Identity, isIdentity},
	// Tencent's API 3.0 has a single endpoint, POST /; the router answers everything sent there.
	{operation.Tencent, func(r *http.Request) bool { return r.URL.Path == "/" }},
	{operation.Gcore, func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/cloud/") }},
	{operation.Alibaba, func(r *http.Request) bool {
		return strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-") || r.Header.Get("x-acs-action") != ""
	}},
	// Upstream Barbican's /v1/secrets… with an OpenStack token; before K5's rule, whose
	// /v1/{tenant_id}/… would otherwise take /v1/secrets/{id} for a tenant called "secrets".
	{operation.Barbican, func(r *http.Request) bool {
		return r.Header.Get("X-Auth-Token") != "" && isSecretsPath(r.URL.Path)
	}},
	{operation.K5, func(r *http.Request) bool {
		return r.Header.Get("X-Auth-Token") != "" && strings.HasPrefix(r.URL.Path, "/v1/")
	}},
	// An unauthenticated request for a secret whose id is a UUID is Barbican's (an Alibaba
	// secret id starts with "sec-"): Keystone's 401 rather than Alibaba's IncompleteSignature.
	{operation.Barbican, func(r *http.Request) bool {
		id, ok := strings.CutPrefix(r.URL.Path, "/v1/secrets/")
		id, _, _ = strings.Cut(id, "/")
		return ok && uuid.Validate(id) == nil && len(id) == 36
	}},
	// Unsigned requests still get their vendor's envelope (an unsigned Alibaba call is answered
	// IncompleteSignature, an unauthenticated K5 call Keystone's 401), so paths decide last.
	{operation.Alibaba, func(r *http.Request) bool { return isSecretsPath(r.URL.Path) }},
	{operation.K5, func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v1/") }},
	// An OpenStack token anywhere else (an endpoint configured without /v1, say) gets Barbican's
	// 404, which OpenStack clients can print, rather than a body they fail to read.
	{operation.Barbican, func(r *http.Request) bool { return r.Header.Get("X-Auth-Token") != "" }},
}

// isIdentity reports whether r is for the OpenStack version documents or Keystone.
func isIdentity(r *http.Request) bool {
	switch p := r.URL.Path; {
	case p == "/":
		return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
			r.Header.Get("X-TC-Action") == "" && !strings.HasPrefix(r.Header.Get("Authorization"), "TC3-")
	case p == "/v1", p == "/v1/":
		return r.Header.Get("x-acs-action") == "" && !strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-")
	default:
		return p == "/v3" || strings.HasPrefix(p, "/v3/")
	}
}

// isSecretsPath reports whether path is /v1/secrets or under it, the paths Alibaba's APIG and
// upstream Barbican share.
func isSecretsPath(path string) bool {
	return path == "/v1/secrets" || strings.HasPrefix(path, "/v1/secrets/")
}

// hostWrappers are what the local server puts around each function's handler (its log line,
// budgets and prechecks) and around each dialect's 404 and 405 answers.
type hostWrappers struct {
	function func(fn functions.Function, h http.Handler) http.Handler
	unrouted func(dialect operation.Dialect, h http.Handler) http.Handler
}

// dispatcher is the local server's root handler.
type dispatcher struct {
	dialects map[operation.Dialect]http.Handler // each routed dialect's mux (functions.Mux)
	tencent  map[string]http.Handler            // X-TC-Action -> its service's function
	fallback http.Handler                       // the first Tencent function: InvalidAction
	unrouted http.Handler
	admin    http.Handler // the local server's own /_keyport/ paths (admin.go); nil serves none
}

// newDispatcher serves fns on d: the non-Tencent dialects on one functions.Mux each, every
// Tencent service's function under its actions; wrap adds the host's logging and budgets, and
// unrouted answers a request no dialect claims.
func newDispatcher(fns []functions.Function, d operation.Deps, wrap hostWrappers, unrouted http.Handler) *dispatcher {
	disp := &dispatcher{dialects: map[operation.Dialect]http.Handler{}, tencent: map[string]http.Handler{}, unrouted: unrouted}
	byDialect := map[operation.Dialect][]operation.Row{}
	for _, fn := range fns {
		if fn.Dialect != operation.Tencent {
			byDialect[fn.Dialect] = append(byDialect[fn.Dialect], fn.Operations...)
			continue
		}
		h := wrap.function(fn, fn.Handler(d))
		for _, op := range fn.Operations {
			disp.tencent[op.Action] = h
		}
		if disp.fallback == nil {
			disp.fallback = h
		}
	}
	for dialect, rows := range byDialect {
		disp.dialects[dialect] = operation.Mux(dialect, rows, d, operation.Wrappers{
			Operation: func(row operation.Row, h http.Handler) http.Handler {
				return wrap.function(functions.Function{Name: row.Function, Dialect: row.Dialect, Operations: []operation.Row{row}}, h)
			},
			Unrouted: wrap.unrouted,
		})
	}
	return disp
}

func (d *dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d.admin != nil && strings.HasPrefix(r.URL.Path, adminPrefix) {
		d.admin.ServeHTTP(w, r)
		return
	}
	for _, rl := range rules {
		if !rl.matches(r) {
			continue
		}
		if rl.dialect == operation.Tencent {
			d.serveTencent(w, r)
			return
		}
		if m, ok := d.dialects[rl.dialect]; ok {
			m.ServeHTTP(w, r)
			return
		}
	}
	d.unrouted.ServeHTTP(w, r)
}

// serveTencent hands the request to the function of the service that has its action. An
// unknown or missing action goes to the first Tencent function, whose router answers
// InvalidAction as every Tencent service would.
func (d *dispatcher) serveTencent(w http.ResponseWriter, r *http.Request) {
	h, ok := d.tencent[r.Header.Get("X-TC-Action")]
	if !ok {
		h = d.fallback
	}
	if h == nil {
		d.unrouted.ServeHTTP(w, r)
		return
	}
	h.ServeHTTP(w, r)
}

// writeUnrouted answers a request that no dialect claims: JSON, never a plain-text 404.
func writeUnrouted(w http.ResponseWriter, r *http.Request) {
	web.NoteOutcome(r.Context(), "NotFound", nil)
	gcore.WriteJSON(w, http.StatusNotFound, map[string]string{
		"code":    "NotFound",
		"message": "keyport serves no API at this path: use a vendor SDK's endpoint layout (Tencent POST /, Alibaba /v1/secrets, Gcore /cloud/v1/..., K5 /v1/{tenant_id}/secrets, Barbican /v1/secrets with X-Auth-Token).",
	})
}
