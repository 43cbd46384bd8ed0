package functions

import (
	"net/http"
	"regexp"
	"strings"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/barbican"
	"keyport/shared/api/gcore"
	"keyport/shared/api/tencent"
	"keyport/shared/fault"
	"keyport/shared/operation"
)

// Wrappers add what the host puts around handlers: the local server's request log, budgets and
// prechecks. A nil field adds nothing (the Lambda adapter logs the whole function itself).
type Wrappers struct {
	Function func(fn Function, h http.Handler) http.Handler         // around each function's handler
	Unrouted func(d operation.Dialect, h http.Handler) http.Handler // around the 404 and 405 answers
}

// Mux serves the routes of fns, all of dialect (which is not Tencent), on one ServeMux: each
// route to its function's handler built on d; another method on a served path answers 405 with
// Allow, and any other path 404, both in the dialect's envelope. It is the only router of the
// non-Tencent dialects: the local server builds one per dialect, each Lambda one for itself.
func Mux(dialect operation.Dialect, fns []Function, d operation.Deps, wrap Wrappers) *http.ServeMux {
	fallback := fallbacks[dialect]
	unrouted := func(h http.Handler) http.Handler { return h }
	if wrap.Unrouted != nil {
		unrouted = func(h http.Handler) http.Handler { return wrap.Unrouted(dialect, h) }
	}
	mux := http.NewServeMux()
	allowed := map[string][]string{} // path shape -> methods, for 405's Allow
	for _, fn := range fns {
		var h http.Handler = fn.Operations[0].Handler(d)
		if wrap.Function != nil {
			h = wrap.Function(fn, h)
		}
		for _, route := range fn.Routes() {
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
	mux.Handle("/", unrouted(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fallback.write(w, r, fault.New(fault.NotFound, "", fallback.notFound))
	})))
	return mux
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
var fallbacks = map[operation.Dialect]fallback{
	operation.Alibaba: {alibaba.WriteError, "The requested resource could not be found.", func(m []string) string {
		return "This path accepts only " + strings.Join(m, ", ") + "."
	}},
	operation.Gcore: {gcore.WriteError, "Not found.", func(m []string) string {
		return "Method \"" + strings.Join(m, ", ") + "\" is the only one allowed here."
	}},
	operation.Tencent:  {write: func(w http.ResponseWriter, r *http.Request, err error) { tencent.WriteError(r.Context(), w, err) }},
	operation.K5:       {barbicanRequest.WriteError, "The requested resource could not be found.", genericBadMethod},
	operation.Barbican: {barbicanRequest.WriteError, "The requested resource could not be found.", genericBadMethod},
}

// barbicanRequest names a request that reached no operation, in Barbican's messages.
var barbicanRequest = barbican.Operation{Action: "Request", Schema: "Request"}

// WriteRouteError renders err for a request of dialect that reached no operation.
func WriteRouteError(dialect operation.Dialect, w http.ResponseWriter, r *http.Request, err error) {
	fallbacks[dialect].write(w, r, err)
}

// wildcard matches a ServeMux wildcard segment.
var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// pathShape is path with its wildcards unnamed, so routes that name one segment differently
// share one 405 fallback (ServeMux refuses two patterns of the same shape).
func pathShape(path string) string { return wildcard.ReplaceAllString(path, "{}") }
