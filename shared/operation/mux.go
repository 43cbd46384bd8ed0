package operation

import (
	"net/http"
	"path"
	"regexp"
	"strings"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/gcore"
	"keyport/shared/api/identity"
	"keyport/shared/api/keymanager"
	"keyport/shared/api/tencent"
	"keyport/shared/fault"
	"keyport/shared/web"
)

// Wrappers add what the host puts around handlers: the local server's request log, budgets and
// prechecks. A nil field adds nothing (the Lambda adapter logs the whole function itself).
type Wrappers struct {
	Operation func(row Row, h http.Handler) http.Handler   // around each operation's handler
	Unrouted  func(d Dialect, h http.Handler) http.Handler // around the 404 and 405 answers
}

// Mux serves the routes of rows, all of dialect (which is not Tencent), on one ServeMux: each
// route to its row's handler built on d (see Handler); another method on a served path answers
// 405 with Allow, and any other path 404, both in the dialect's envelope. It is the only router
// of the non-Tencent dialects: the local server builds one per dialect, each Lambda one for
// itself, and handler tests one for the row they test (see Serve).
func Mux(dialect Dialect, rows []Row, d Deps, wrap Wrappers) http.Handler {
	fallback := fallbacks[dialect]
	unrouted := func(h http.Handler) http.Handler { return h }
	if wrap.Unrouted != nil {
		unrouted = func(h http.Handler) http.Handler { return wrap.Unrouted(dialect, h) }
	}
	mux := http.NewServeMux()
	allowed := map[string][]string{} // path shape -> methods, for 405's Allow
	for _, row := range rows {
		h := row.Handler(d)
		if wrap.Operation != nil {
			h = wrap.Operation(row, h)
		}
		for _, route := range []string{row.Route, row.Alias} {
			if route == "" {
				continue
			}
			method, path, _ := strings.Cut(route, " ")
			mux.Handle(route, h)
			shape := pathShape(path)
			methods, seen := allowed[shape]
			allowed[shape] = append(methods, method)
			if !seen {
				// Another method on a served path: 405 in the vendor's envelope, not ServeMux's text.
				mux.Handle(path, unrouted(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Allow", strings.Join(allowed[shape], ", "))
					fallback.write(w, r, fault.New(fault.BadMethod, "", fallback.badMethod(allowed[shape])))
				})))
			}
		}
	}
	notFound := unrouted(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fallback.write(w, r, fault.New(fault.NotFound, "", fallback.notFound))
	}))
	mux.Handle("/", notFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !Canonical(r.URL.EscapedPath()) {
			// ServeMux would redirect to the cleaned path before any check, outside the log and
			// the audit trail, and a client following it (curl -L -X DELETE …/x/../{id}) would act
			// on another resource than the one it named.
			notFound.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// Canonical reports whether an escaped path is one http.ServeMux serves without redirecting
// (ServeMux cleans the escaped path, so an encoded "%2F" or "%2E%2E" is not a segment):
// absolute, with no empty, "." or ".." segment (a trailing slash is kept).
func Canonical(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean == p
}

// fallback is how a dialect answers a request no route of it matches, in its own words.
type fallback struct {
	write     func(w http.ResponseWriter, r *http.Request, err error)
	notFound  string
	badMethod func(allowed []string) string
}

var genericBadMethod = func([]string) string { return "The method is not allowed for the requested URL." }

// fallbacks holds each dialect's answers (Tencent's router answers its own 404s; its entry only
// renders the prechecks' refusals). Barbican's are the pecan/webob texts it answers
// with; Gcore's and Alibaba's the ones their gateways give.
var fallbacks = map[Dialect]fallback{
	Alibaba: {alibaba.WriteError, "The requested resource could not be found.", func(m []string) string {
		return "This path accepts only " + strings.Join(m, ", ") + "."
	}},
	Gcore: {gcore.WriteError, "Not found.", func(m []string) string {
		return "Method \"" + strings.Join(m, ", ") + "\" is the only one allowed here."
	}},
	Tencent:  {write: func(w http.ResponseWriter, r *http.Request, err error) { tencent.WriteError(r.Context(), w, err) }},
	K5:       {barbicanRequest.WriteError, "The requested resource could not be found.", genericBadMethod},
	Barbican: {barbicanRequest.WriteError, "The requested resource could not be found.", genericBadMethod},
	Identity: {identity.WriteError, "The resource could not be found.", genericBadMethod},
}

// UseEnvelopesForAuditFailures gives the request log's middleware every dialect's envelope,
// for the server error it sends in place of an answer whose audit event could not be written
// (web.Logged). The composition roots (the local server, the Lambda bootstrap) call it once at
// start-up; without it such a request still fails closed, with a bare 503.
func UseEnvelopesForAuditFailures() {
	for d, f := range fallbacks {
		web.SetFaultWriter(string(d), f.write)
	}
}

// barbicanRequest names a request that reached no operation, in Barbican's messages.
var barbicanRequest = keymanager.Names{Action: "Request", Schema: "Request"}

// WriteRouteError renders err for a request of dialect that reached no
func WriteError(dialect Dialect, w http.ResponseWriter, r *http.Request, err error) {
	fallbacks[dialect].write(w, r, err)
}

// wildcard matches a ServeMux wildcard segment.
var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// pathShape is path with its wildcards unnamed, so routes that name one segment differently
// share one 405 fallback (ServeMux refuses two patterns of the same shape).
func pathShape(path string) string { return wildcard.ReplaceAllString(path, "{}") }

// Serve is the handler of row alone, as its function serves it: Tencent's router with its one
// action, or a Mux of its one route. Handler tests use it, so they run restricted as well.
func (r Row) Serve(d Deps) http.Handler {
	if r.Dialect == Tencent {
		return TencentRouter([]Row{r}, d)
	}
	return Mux(r.Dialect, []Row{r}, d, Wrappers{})
}

// TencentRouter is the handler of one Tencent service: its router over the rows' actions.
func TencentRouter(rows []Row, d Deps) http.Handler {
	actions := make([]tencent.Action, len(rows))
	for i, row := range rows {
		actions[i] = row.TencentAction(d)
	}
	return web.Recover(fallbacks[Tencent].write, tencent.Router(d.Creds, d.Now, actions...))
}
