package main

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	alibabacreatesecret "keyport/functions/alibaba/createsecret"
	gcorecreatesecret "keyport/functions/gcore/createsecret"
	gcoregettask "keyport/functions/gcore/gettask"
	k5createsecret "keyport/functions/k5/createsecret"
	"keyport/functions/tencent/createapikey"
	"keyport/functions/tencent/createmultipathgatewaysecretkey"
	"keyport/shared/api/tencent"
	"keyport/shared/audit"
	"keyport/shared/credentials"
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
}

// newMux mounts the five operations (and Gcore's task read) at their native paths, each
// wrapped in the per-request log line. The two Tencent actions share POST / and are told apart
// by X-TC-Action inside the Tencent router.
func newMux(s services) *http.ServeMux {
	mux := http.NewServeMux()
	// Mount by path only: each handler answers other methods with its vendor's own envelope
	// (Tencent UnsupportedProtocol, Alibaba 405 UnsupportedOperation, Barbican/Gcore 405).
	mount := func(pattern, op string, h http.Handler) {
		if _, path, ok := strings.Cut(pattern, " "); ok {
			pattern = path
		}
		mux.Handle(pattern, web.Logged(s.logger, s.audit, op, h))
	}

	mount("/v1/secrets", "alibaba.CreateSecret", alibabacreatesecret.New(alibabacreatesecret.Deps{
		Store: s.store, Sealer: s.sealer, Creds: s.creds, Now: s.now}))
	mount("/{$}", "tencent", tencent.Router(s.creds, s.now,
		createapikey.Action(createapikey.Deps{Store: s.store, Sealer: s.sealer, Creds: s.creds, Now: s.now, KeyLimit: s.keyLimit}),
		createmultipathgatewaysecretkey.Action(createmultipathgatewaysecretkey.Deps{Store: s.store, Sealer: s.sealer, Creds: s.creds, Now: s.now}),
	))
	mount(gcorecreatesecret.Pattern, "gcore.CreateSecret", gcorecreatesecret.New(gcorecreatesecret.Deps{
		Store: s.store, Sealer: s.sealer, Creds: s.creds, Now: s.now}))
	mount(gcoregettask.Pattern, "gcore.GetTask", gcoregettask.New(gcoregettask.Deps{Store: s.store, Creds: s.creds}))
	mount(k5createsecret.Pattern, "k5.CreateSecret", k5createsecret.New(k5createsecret.Deps{
		Store: s.store, Sealer: s.sealer, Creds: s.creds, Now: s.now}))
	return mux
}
