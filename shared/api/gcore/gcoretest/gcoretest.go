// Package gcoretest holds what the Gcore functions' tests share: a real embedded store and
// local-key sealer in a temporary directory, a credentials book with known grants, a way to
// send one request through the request-id middleware, and golden-file comparison with request
// ids and UUIDs normalised.
package gcoretest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store/boltstore"
	"keyport/shared/testkit"
	"keyport/shared/web"
)

// Tokens of the test book. TokenAll reaches projects 1 and 2 in every region; TokenRegion7
// reaches project 3 in region 7 only.
const (
	TokenAll     = "test-token-all"
	TokenRegion7 = "test-token-project3-region7"
)

// Book returns the test credentials book.
func Book(t testing.TB) *credentials.Book {
	t.Helper()
	b, err := credentials.FromDocument(credentials.Document{Gcore: []credentials.GcoreKey{
		{APIKey: TokenAll, Projects: []int64{1, 2}},
		{APIKey: TokenRegion7, Projects: []int64{3}, Regions: []int64{7}},
	}})
	if err != nil {
		t.Fatalf("test book: %v", err)
	}
	return b
}

// Store opens a fresh bolt store in t's temporary directory and closes it when t ends.
func Store(t testing.TB) *boltstore.Store {
	t.Helper()
	return localdatatest.Open(t).Store
}

// Sealer returns a sealer over a fresh local key file in t's temporary directory.
func Sealer(t testing.TB) *seal.Sealer {
	t.Helper()
	return localdatatest.Open(t).Sealer
}

// Count returns how many live records s holds.
func Count(t testing.TB, s *boltstore.Store) int {
	t.Helper()
	n, err := s.CountRecords(context.Background())
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n
}

// Discard is a logger that drops every line.
var Discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// Serve serves rows on d as the local server mounts them: each row alone (Row.Serve, so on a
// store and sealer restricted to what the row declares) at its route, wrapped by web.Logged,
// which gives every answer a request id. A request no route matches gets ServeMux's own answer,
// not Gcore's envelope: tests of those serve one row with Row.Serve, as its function does.
func Serve(d operation.Deps, rows ...operation.Row) *http.ServeMux {
	mux := http.NewServeMux()
	for _, row := range rows {
		mux.Handle(row.Route, web.Logged(Discard, audit.NewWriter(io.Discard), row.Name, row.Serve(d)))
	}
	return mux
}

// Do sends one request to h and returns the recorded response.
func Do(h http.Handler, method, target string, header http.Header, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, bytes.NewBufferString(body))
	for k, vs := range header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// ErrorBody is Gcore's error envelope as a client reads it.
type ErrorBody struct {
	ExceptionClass string              `json:"exception_class"`
	Message        string              `json:"message"`
	RequestID      *string             `json:"request_id"`
	InvalidFields  map[string][]string `json:"invalid_fields"`
}

// DecodeError parses an error body, failing t when it is not Gcore's envelope.
func DecodeError(t testing.TB, body []byte) ErrorBody {
	t.Helper()
	var e ErrorBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, body)
	}
	if e.ExceptionClass == "" || e.Message == "" || e.RequestID == nil {
		t.Fatalf("error body lacks exception_class, message or request_id: %s", body)
	}
	return e
}

var (
	requestIDField = regexp.MustCompile(`"request_id":\s*"[0-9a-f-]{36}"`)
	anyUUID        = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// Normalize indents a JSON body and replaces the request id with <request-id> and every other
// UUID with <uuid>, so golden files do not change from run to run.
func Normalize(t testing.TB, body []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, body)
	}
	out := requestIDField.ReplaceAll(buf.Bytes(), []byte(`"request_id": "<request-id>"`))
	out = anyUUID.ReplaceAll(out, []byte("<uuid>"))
	return append(out, '\n')
}

// Golden compares Normalize(body) with testdata/<name>.json, rewriting the file under -update.
func Golden(t testing.TB, name string, body []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name+".json"), Normalize(t, body))
}

// Header builds a header from name, value pairs.
func Header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}
