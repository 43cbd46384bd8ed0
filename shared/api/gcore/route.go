package gcore

import (
	"net/http"
	"strings"

	"keyport/shared/fault"
)

// Route returns a handler that serves h for pattern (a Go 1.22 ServeMux pattern with a method,
// such as "POST /cloud/v1/secrets/{project_id}/{region_id}") and answers every other request
// with Gcore's envelopes: 405 HTTPError for another method on the same path, 404 NotFoundError
// for any other path.
//
// Mounted by an outer ServeMux under the same pattern, the inner mux matches the same path again
// and sets the same path values; mounted alone (the Lambda adapter) it routes by itself, so h
// can always rely on r.PathValue.
func Route(pattern string, h http.Handler) http.Handler {
	method, path, _ := strings.Cut(pattern, " ")
	mux := http.NewServeMux()
	mux.Handle(pattern, h)
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", method)
		WriteError(w, r, fault.New(fault.BadMethod, "", "Method \""+method+"\" is the only one allowed here."))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, fault.New(fault.NotFound, "", "Not found."))
	})
	return mux
}
