package alibaba

import (
	"net/http"
	"strings"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/web"
)

// MaxBody is keyport's request body limit for APIG (1 MB; APIG documents none). The largest
// valid body (64 KiB of secretData plus small fields) is far below it.
const MaxBody = 1 << 20

// Route returns a handler that serves h for pattern (a ServeMux pattern with a method, such as
// "GET /v1/secrets/{secretId}") and answers everything else in APIG's envelope: another method
// on the same path is UnsupportedOperation (405, with Allow), any other path NotFound (404).
//
// Mounted by the local server's ServeMux under the same pattern, the inner mux matches the path
// again and sets the same path values; handed alone to the Lambda adapter it routes by itself.
// Either way h can rely on r.PathValue, which holds the segment percent-decoded.
func Route(pattern string, h http.Handler) http.Handler {
	method, path, _ := strings.Cut(pattern, " ")
	mux := http.NewServeMux()
	mux.Handle(pattern, h)
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", method)
		WriteError(w, r, fault.New(fault.BadMethod, "", "This path accepts only "+method+"."))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, fault.New(fault.NotFound, "", "The requested resource could not be found."))
	})
	return mux
}

// Op is an operation's work on an authenticated request: it returns what to render under
// "data" (nil for an envelope without data) or an error, which is rendered by WriteError.
type Op func(r *http.Request, c Caller, body []byte) (any, error)

// Handle returns the handler of one APIG operation: it routes pattern (Route), reads the body
// up to MaxBody, authenticates the request (signature, date window, in-memory nonce cache) and
// runs op. Every outcome is rendered in APIG's envelope. Each handler has its own Verifier and
// so its own nonce cache; an operation that succeeds also spends the nonce in the store
// (Caller.SpendNonce, Spend) so that a replay reaching another instance is refused too.
func Handle(pattern string, creds *credentials.Book, now func() time.Time, op Op) http.Handler {
	v := NewVerifier(creds, now)
	return Route(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := run(v, r, op)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		WriteOK(w, r, data)
	}))
}

func run(v *Verifier, r *http.Request, op Op) (any, error) {
	body, err := web.ReadBody(r, MaxBody)
	if err != nil {
		return nil, err
	}
	c, err := v.Verify(r, body)
	if err != nil {
		return nil, err
	}
	return op(r, c, body)
}
