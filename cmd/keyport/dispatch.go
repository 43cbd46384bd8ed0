package main

import (
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	"keyport/functions"
	"keyport/shared/api/alibaba"
	"keyport/shared/api/barbican"
	"keyport/shared/api/gcore"
	"keyport/shared/api/tencent"
	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/web"
)

// rule gives a request to a dialect when it matches. Rules are tried in order: a request's own
// identity (its signature scheme or token header) decides before its path, because upstream
// Barbican and Alibaba share paths such as /v1/secrets, the way LocalStack routes AWS requests
// by their signing service before their path.
type rule struct {
	dialect functions.Dialect
	matches func(r *http.Request) bool
}

var rules = []rule{
	// Tencent's API 3.0 has a single endpoint, POST /; the router answers everything sent there.
	{functions.Tencent, func(r *http.Request) bool { return r.URL.Path == "/" }},
	{functions.Gcore, func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/cloud/") }},
	{functions.Alibaba, func(r *http.Request) bool {
		return strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-") || r.Header.Get("x-acs-action") != ""
	}},
	// Upstream Barbican's /v1/secrets… with an OpenStack token; before K5's rule, whose
	// /v1/{tenant_id}/… would otherwise take /v1/secrets/{id} for a tenant called "secrets".
	{functions.Barbican, func(r *http.Request) bool {
		return r.Header.Get("X-Auth-Token") != "" && isSecretsPath(r.URL.Path)
	}},
	{functions.K5, func(r *http.Request) bool {
		return r.Header.Get("X-Auth-Token") != "" && strings.HasPrefix(r.URL.Path, "/v1/")
	}},
	// Unsigned requests still get their vendor's envelope (an unsigned Alibaba call is answered
	// IncompleteSignature, an unauthenticated K5 call Keystone's 401), so paths decide last.
	{functions.Alibaba, func(r *http.Request) bool { return isSecretsPath(r.URL.Path) }},
	{functions.K5, func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v1/") }},
	// An OpenStack token anywhere else (an endpoint configured without /v1, say) gets Barbican's
	// 404, which OpenStack clients can print, rather than a body they fail to read.
	{functions.Barbican, func(r *http.Request) bool { return r.Header.Get("X-Auth-Token") != "" }},
}

// isSecretsPath reports whether path is /v1/secrets or under it, the paths Alibaba's APIG and
// upstream Barbican share.
func isSecretsPath(path string) bool {
	return path == "/v1/secrets" || strings.HasPrefix(path, "/v1/secrets/")
}

// writers render a routing fault (no such path, wrong method) in each dialect's envelope.
var writers = map[functions.Dialect]func(w http.ResponseWriter, r *http.Request, err error){
	functions.Alibaba:  alibaba.WriteError,
	functions.Tencent:  func(w http.ResponseWriter, r *http.Request, err error) { tencent.WriteError(r.Context(), w, err) },
	functions.Gcore:    gcore.WriteError,
	functions.K5:       barbican.Operation{Action: "Request", Schema: "Request"}.WriteError,
	functions.Barbican: barbican.Operation{Action: "Request", Schema: "Request"}.WriteError,
}

// dispatcher is the local server's root handler.
type dispatcher struct {
	dialects map[functions.Dialect]*http.ServeMux
	allowed  map[functions.Dialect]map[string][]string // path shape -> methods, for 405's Allow
	tencent  map[string]http.Handler                   // X-TC-Action -> its service's function
	fallback http.Handler                              // the first Tencent function: InvalidAction
	unrouted http.Handler
	logger   *slog.Logger
	trail    *audit.Writer
}

func newDispatcher(logger *slog.Logger, trail *audit.Writer) *dispatcher {
	d := &dispatcher{
		dialects: map[functions.Dialect]*http.ServeMux{},
		allowed:  map[functions.Dialect]map[string][]string{},
		tencent:  map[string]http.Handler{},
		logger:   logger,
		trail:    trail,
	}
	d.unrouted = web.Logged(logger, trail, "keyport.unrouted", http.HandlerFunc(writeUnrouted))
	return d
}

// mount adds fn, already wrapped as h, to its dialect.
func (d *dispatcher) mount(fn functions.Function, h http.Handler) {
	if fn.Dialect == functions.Tencent {
		for _, op := range fn.Operations {
			d.tencent[op.Action] = h
		}
		if d.fallback == nil {
			d.fallback = h
		}
		return
	}
	mux := d.mux(fn.Dialect)
	for _, route := range fn.Routes() {
		method, path, _ := strings.Cut(route, " ")
		mux.Handle(route, h)
		shape := pathShape(path)
		methods, seen := d.allowed[fn.Dialect][shape]
		d.allowed[fn.Dialect][shape] = append(methods, method)
		if !seen {
			// Another method on a served path: 405 in the vendor's envelope, not ServeMux's text.
			mux.Handle(path, d.badMethod(fn.Dialect, shape))
		}
	}
}

// mux returns dialect's ServeMux, created with a catch-all that answers 404 in its envelope.
func (d *dispatcher) mux(dialect functions.Dialect) *http.ServeMux {
	if m, ok := d.dialects[dialect]; ok {
		return m
	}
	m := http.NewServeMux()
	write := writers[dialect]
	m.Handle("/", web.Logged(d.logger, d.trail, string(dialect)+".unrouted", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		write(w, r, fault.New(fault.NotFound, "", "The requested resource could not be found."))
	})))
	d.dialects[dialect], d.allowed[dialect] = m, map[string][]string{}
	return m
}

func (d *dispatcher) badMethod(dialect functions.Dialect, shape string) http.Handler {
	write := writers[dialect]
	return web.Logged(d.logger, d.trail, string(dialect)+".unrouted", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		methods := d.allowed[dialect][shape]
		w.Header().Set("Allow", strings.Join(methods, ", "))
		write(w, r, fault.New(fault.BadMethod, "", "The method is not allowed for the requested URL."))
	}))
}

// wildcard matches a ServeMux wildcard segment.
var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// pathShape is path with its wildcards unnamed, so routes that name one segment differently
// share one 405 fallback (ServeMux refuses two patterns of the same shape).
func pathShape(path string) string { return wildcard.ReplaceAllString(path, "{}") }

func (d *dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, rl := range rules {
		if !rl.matches(r) {
			continue
		}
		if rl.dialect == functions.Tencent {
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
