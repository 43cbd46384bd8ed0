package localserver

import (
	"log/slog"
	"net/http"
	"time"

	"keyport/functions"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// services are the dependencies the local server hands to every operation.
type services struct {
	store    store.Store
	sealer   *seal.Sealer
	creds    *credentials.Book
	logger   *slog.Logger
	audit    *audit.Writer
	keyLimit int64
	now      func() time.Time
	// budget bounds each request's time (and so every backend call it makes); the zero
	// Budget, which tests of the mux alone use, sets none.
	budget web.Budget
	// bodies caps the request-body bytes held at once; nil (tests of the mux alone) caps none.
	bodies *web.Bodies
	// storeKind names the store driver for the health answer; allowReset lets
	// POST /_keyport/reset wipe it (admin.go).
	storeKind  string
	allowReset bool
}

// newMux serves every function of the operations table on one port. Each request is given to
// the dialect it identifies itself as (see dispatch.go), then routed inside that dialect by
// method and path (or, for Tencent, by X-TC-Action), so that two vendors' paths never compete
// in one ServeMux. Each function is wrapped in the per-request log line and audit event under
// its log name, and runs under the request's time budget, its body under the process's body
// budget, after the cheap checks that need no body (precheck.go).
func newMux(s services) http.Handler {
	operation.UseEnvelopesForAuditFailures()
	deps := operation.Deps{Store: s.store, Sealer: s.sealer, Creds: s.creds, Now: s.now, KeyLimit: s.keyLimit}
	wrap := hostWrappers{
		function: func(fn functions.Function, h http.Handler) http.Handler {
			h = prechecked(fn.Dialect, s.creds, h)
			if s.bodies != nil {
				h = s.bodies.Wrap(h)
			}
			return web.Logged(s.logger, s.audit, fn.LogName(), s.budget.Wrap(h))
		},
		unrouted: func(dialect operation.Dialect, h http.Handler) http.Handler {
			return web.Logged(s.logger, s.audit, string(dialect)+".unrouted", h)
		},
	}
	unrouted := web.Logged(s.logger, s.audit, "keyport.unrouted", http.HandlerFunc(writeUnrouted))
	disp := newDispatcher(functions.Functions(), deps, wrap, unrouted)
	disp.admin = newAdmin(s, unrouted)
	return disp
}
