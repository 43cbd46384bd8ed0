package localserver

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// newTestServer serves every operation on a fresh local store and key with the development
// credentials, discarding the request log and the audit trail; it closes with the test.
func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	data := localdatatest.Open(t)
	srv := httptest.NewServer(newMux(quietServices(data.Store, data.Sealer, credentials.Dev())))
	t.Cleanup(srv.Close)
	return srv
}

// quietServices are the local server's services on st, sealer and creds, with the default key
// limit, discarding the request log and the audit trail.
func quietServices(st store.Store, sealer *seal.Sealer, creds *credentials.Book) services {
	return services{store: st, sealer: sealer, creds: creds, logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		audit: audit.NewWriter(io.Discard), keyLimit: 500, now: time.Now}
}
