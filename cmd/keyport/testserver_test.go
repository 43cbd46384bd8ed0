package main

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
)

// newTestServer serves every operation on a fresh local store and key with the development
// credentials, discarding the request log and the audit trail; it closes with the test.
func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	data := localdatatest.Open(t)
	srv := httptest.NewServer(newMux(services{store: data.Store, sealer: data.Sealer, creds: credentials.Dev(),
		logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), audit: audit.NewWriter(io.Discard), keyLimit: 500, now: time.Now}))
	t.Cleanup(srv.Close)
	return srv
}
