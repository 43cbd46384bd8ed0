// Package keymanagertest runs the key manager operations, in both layouts, on a real local
// store and key behind an httptest server, for the operations' tests: every row of the family
// (functions/keymanager) in the K5 and Barbican dialects is mounted as the local server mounts
// it, restricted to what it declares, so a test that creates through one operation and reads
// through another exercises the real wiring.
package keymanagertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"keyport/functions/keymanager"
	kmapi "keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// The two projects of the test book, each with its own token.
const (
	Token   = credentials.DevK5Token
	Project = credentials.DevK5Tenant
	// OtherToken reaches OtherProject only.
	OtherToken   = "keyport-other-token"
	OtherProject = "0123456789abcdef0123456789abcdef"
)

// Store is what the kit needs of a store: the contract, and counting records (both drivers
// have it) so tests can assert that a refusal wrote nothing.
type Store interface {
	store.Store
	CountRecords(ctx context.Context) (int, error)
}

// Env is a running server with its store and key.
type Env struct {
	URL    string
	Store  Store
	Sealer *seal.Sealer
	Now    func() time.Time
}

// New starts a server on a fresh local store and key.
func New(tb testing.TB) *Env {
	tb.Helper()
	data := localdatatest.Open(tb)
	return NewWith(tb, data.Store, data.Sealer)
}

// NewWith starts a server on st and sealer.
func NewWith(tb testing.TB, st Store, sealer *seal.Sealer) *Env {
	tb.Helper()
	book, err := credentials.FromDocument(credentials.Document{K5: []credentials.K5Token{
		{Token: Token, Tenant: Project}, {Token: OtherToken, Tenant: OtherProject}}})
	if err != nil {
		tb.Fatal(err)
	}
	e := &Env{Store: st, Sealer: sealer, Now: time.Now}
	deps := operation.Deps{Store: st, Sealer: sealer, Creds: book, Now: func() time.Time { return e.Now() }}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	logged := operation.Wrappers{Operation: func(row operation.Row, h http.Handler) http.Handler {
		return web.Logged(logger, audit.NewWriter(io.Discard), row.Name, h)
	}}
	k5 := operation.Mux(operation.K5, keymanager.Rows(kmapi.K5), deps, logged)
	upstream := operation.Mux(operation.Barbican, keymanager.Rows(kmapi.Upstream), deps, logged)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/secrets" || strings.HasPrefix(r.URL.Path, "/v1/secrets/") {
			upstream.ServeHTTP(w, r)
			return
		}
		k5.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

// Base is the layout's href prefix for project: <url>/v1 upstream, <url>/v1/<project> for K5.
func (e *Env) Base(upstream bool, project string) string {
	if upstream {
		return e.URL + "/v1"
	}
	return e.URL + "/v1/" + project
}

// Client is gophercloud without Keystone, as its own fake client is set up: a static token and
// ResourceBase at the layout's /v1/ (upstream) or /v1/<project>/ (K5).
func (e *Env) Client(upstream bool, token, project string) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{}
	pc.SetToken(token)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: e.URL + "/", ResourceBase: e.Base(upstream, project) + "/"}
}

// Response is an answer read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends method path (relative to the server) with headers (name, value pairs) and body.
func (e *Env) Do(tb testing.TB, method, path, body string, headers ...string) Response {
	tb.Helper()
	req, err := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return Response{resp.StatusCode, resp.Header, b}
}

// Create stores a secret of project through the K5 create and returns its id.
func (e *Env) Create(tb testing.TB, project, body string) string {
	tb.Helper()
	token := Token
	if project == OtherProject {
		token = OtherToken
	}
	resp := e.Do(tb, http.MethodPost, "/v1/"+project+"/secrets", body, "X-Auth-Token", token, "Content-Type", "application/json")
	if resp.Status != http.StatusCreated {
		tb.Fatalf("create %s: got %d %s, want 201", body, resp.Status, resp.Body)
	}
	ref := resp.Header.Get("Location")
	return ref[strings.LastIndex(ref, "/")+1:]
}

// Count is the number of live records: a refused request must not change it.
func (e *Env) Count(tb testing.TB) int {
	tb.Helper()
	n, err := e.Store.CountRecords(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// Record returns project's stored secret id.
func (e *Env) Record(tb testing.TB, project, id string) store.Record {
	tb.Helper()
	rec, err := e.Store.Get(context.Background(), kmsecret.Ref(project, id))
	if err != nil {
		tb.Fatalf("record %s: %v", id, err)
	}
	return rec
}
