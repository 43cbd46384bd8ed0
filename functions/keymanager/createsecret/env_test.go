package createsecret

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store/boltstore"
	"keyport/shared/testkit"
	"keyport/shared/web"
)

const (
	devToken  = credentials.DevK5Token
	devTenant = credentials.DevK5Tenant
	path      = "/v1/" + devTenant + "/secrets"
)

// env is the K5 create as its function serves it (restricted to its row), wired to real parts:
// a bbolt file and a local key file in t.TempDir().
type env struct {
	store  *boltstore.Store
	sealer *seal.Sealer
	mux    http.Handler
}

// newEnv builds an env whose handler sees now as the current time (nil: the real clock).
func newEnv(tb testing.TB, now func() time.Time) *env {
	tb.Helper()
	data := localdatatest.Open(tb)
	return &env{store: data.Store, sealer: data.Sealer,
		mux: serveK5(operation.Deps{Store: data.Store, Sealer: data.Sealer, Creds: credentials.Dev(), Now: now})}
}

// serveK5 is the K5 create's row served on d, logged as the server logs it.
func serveK5(d operation.Deps) http.Handler {
	return web.Logged(slog.New(slog.NewTextHandler(io.Discard, nil)), audit.NewWriter(io.Discard), "k5.CreateSecret", Row(keymanager.K5).Serve(d))
}

// count is the number of live records; every refused request must leave it at zero.
func (e *env) count(tb testing.TB) int {
	tb.Helper()
	n, err := e.store.CountRecords(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

// golden compares body, with UUIDs replaced by <uuid>, with testdata/<name>.json.
func golden(tb testing.TB, name string, body []byte) {
	tb.Helper()
	got := append(uuidRE.ReplaceAll(bytes.TrimSpace(body), []byte("<uuid>")), '\n')
	testkit.Golden(tb, filepath.Join("testdata", name+".json"), got)
}
