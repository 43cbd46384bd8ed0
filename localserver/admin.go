package localserver

import (
	"context"
	"errors"
	"net/http"
	"runtime/debug"
	"slices"
	"time"

	"keyport/functions"
	"keyport/shared/api/gcore"
	"keyport/shared/store"
	"keyport/shared/web"
)

// The local server's own paths. The /_keyport/ prefix is claimed before any dialect (no vendor
// uses it) and exists only here: it is not an operation row, so no Lambda, route or IAM policy
// serves it on AWS.
const (
	adminPrefix = "/_keyport/"
	healthPath  = adminPrefix + "health"
	resetPath   = adminPrefix + "reset"
)

// probeTimeout bounds the store read a health check makes.
const probeTimeout = 2 * time.Second

// probeRef is the record a health check reads: none is ever written there, so the read answers
// not found on a usable store.
var probeRef = store.Ref{Service: "keyport", Kind: "health", ID: "probe"}

// resetter is a store that can wipe itself (memstore, boltstore; not DynamoDB).
type resetter interface {
	Reset(ctx context.Context) error
}

// health is the body of GET /_keyport/health.
type health struct {
	Version      string   `json:"version"`
	Store        string   `json:"store"`
	Dialects     []string `json:"dialects"`
	Ready        bool     `json:"ready"`
	Status       string   `json:"status"` // "ready", "starting" or "store unusable"
	ResetAllowed bool     `json:"resetAllowed"`
}

// newHealth is the health answer of a server on storeKind before its store is probed.
func newHealth(storeKind string, allowReset bool) health {
	var dialects []string
	for _, fn := range functions.Functions() {
		if d := string(fn.Dialect); !slices.Contains(dialects, d) {
			dialects = append(dialects, d)
		}
	}
	slices.Sort(dialects)
	return health{Version: buildVersion(), Store: storeKind, Dialects: dialects, Status: "starting", ResetAllowed: allowReset}
}

// buildVersion is the module version the binary was built at, or its VCS revision when built
// from a checkout ("devel" when neither is recorded, as under go test).
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	switch {
	case rev == "":
		return "devel"
	case dirty:
		return rev + "-dirty"
	}
	return rev
}

// newAdmin serves the /_keyport/ paths of a started server: health (never logged: it is polled)
// and reset (logged and audited as keyport.reset); any other path under the prefix is unrouted.
func newAdmin(s services, unrouted http.Handler) http.Handler {
	info := newHealth(s.storeKind, s.allowReset)
	reset := web.Logged(s.logger, s.audit, "keyport.reset", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveReset(w, r, s.store, s.allowReset)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case healthPath:
			serveHealth(w, r, info, s.store)
		case resetPath:
			reset.ServeHTTP(w, r)
		default:
			unrouted.ServeHTTP(w, r)
		}
	})
}

// serveHealth answers 200 when the store answers a read, 503 when it does not.
func serveHealth(w http.ResponseWriter, r *http.Request, info health, st store.Store) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeAdminError(w, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "use GET "+healthPath)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), probeTimeout)
	defer cancel()
	info.Ready, info.Status = true, "ready"
	if _, err := st.Get(ctx, probeRef); err != nil && !errors.Is(err, store.ErrNotFound) {
		info.Ready, info.Status = false, "store unusable"
	}
	writeHealth(w, info)
}

func writeHealth(w http.ResponseWriter, info health) {
	status := http.StatusOK
	if !info.Ready {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	gcore.WriteJSON(w, status, info)
}

// serveReset wipes every record, claim and counter, when the server was started with
// -allow-reset and its store can be wiped.
func serveReset(w http.ResponseWriter, r *http.Request, st store.Store, allowed bool) {
	rs, canReset := st.(resetter)
	switch {
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", "POST")
		writeAdminError(w, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "use POST "+resetPath)
	case !allowed:
		writeAdminError(w, r, http.StatusForbidden, "ResetNotAllowed", "reset is off: start keyport with -allow-reset (KEYPORT_ALLOW_RESET=true) to allow it")
	case !canReset:
		writeAdminError(w, r, http.StatusNotImplemented, "ResetUnsupported", "this store cannot be reset: only the memory and bolt stores can")
	default:
		if err := rs.Reset(r.Context()); err != nil {
			web.NoteOutcome(r.Context(), "InternalError", err)
			gcore.WriteJSON(w, http.StatusInternalServerError, map[string]string{"code": "InternalError", "message": "the store could not be reset; see the server log"})
			return
		}
		web.NoteOutcome(r.Context(), "Reset", nil)
		gcore.WriteJSON(w, http.StatusOK, map[string]any{"code": "Reset", "message": "every record was removed"})
	}
}

func writeAdminError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	web.NoteOutcome(r.Context(), code, nil)
	gcore.WriteJSON(w, status, map[string]string{"code": code, "message": message})
}

// startGate is the server's handler from the moment it listens: until open is called, health
// answers 503 "starting" and every other request waits for the server to be ready (or for its
// client to give up), so a client that connects early is served rather than refused.
type startGate struct {
	starting health
	ready    chan struct{} // closed by open
	h        http.Handler  // set before ready is closed
}

func newStartGate(starting health) *startGate {
	return &startGate{starting: starting, ready: make(chan struct{})}
}

// open hands every request, waiting or to come, to h.
func (g *startGate) open(h http.Handler) {
	g.h = h
	close(g.ready)
}

func (g *startGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case <-g.ready:
		g.h.ServeHTTP(w, r)
		return
	default:
	}
	if r.URL.Path == healthPath {
		writeHealth(w, g.starting)
		return
	}
	select {
	case <-g.ready:
		g.h.ServeHTTP(w, r)
	case <-r.Context().Done():
	}
}
