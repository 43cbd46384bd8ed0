// Package alibabatest is what the Alibaba operations' tests share: a credentials book with two
// accounts, requests signed exactly as the APIG SDK signs them (any method, path and query),
// decoded APIG answers, golden files with request ids and secret ids normalised, and the
// official apig-20240327 client pointed at a test server.
package alibabatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"

	"keyport/shared/api/alibaba"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/sign/acs3"
	"keyport/shared/testkit"
	"keyport/shared/web"
)

// Key is an AccessKey of the test book and the account it belongs to.
type Key struct {
	ID, Secret, Account string
}

// The test book's keys: Dev is the development key; Other belongs to another account, so
// every cross-account rule can be tried.
var (
	Dev   = Key{credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret, credentials.DevAlibabaAccount}
	Other = Key{"LTAIkeyportOtherAccount", "keyportOtherAccountSecret", "2000000000000002"}
)

// Book returns a credentials book holding Dev and Other.
func Book(t testing.TB) *credentials.Book {
	t.Helper()
	b, err := credentials.FromDocument(credentials.Document{Alibaba: []credentials.SigningKey{
		{ID: Dev.ID, Secret: Dev.Secret, Account: Dev.Account},
		{ID: Other.ID, Secret: Other.Secret, Account: Other.Account},
	}})
	if err != nil {
		t.Fatalf("test book: %v", err)
	}
	return b
}

// Call is one request as the SDK sends it; zero fields take the SDK's values.
type Call struct {
	Method string // default GET
	// Target is the path as sent, already percent-encoded as the SDK encodes path parameters,
	// with its query string if any ("/v1/secrets?pageSize=5").
	Target      string
	Action      string                // x-acs-action; default "Test"
	Body        string                // sent and signed as is
	ContentType string                // default application/json; charset=utf-8 when there is a body
	Key         Key                   // default Dev
	Secret      string                // signing secret when it differs from Key's (a wrong one)
	Date        time.Time             // x-acs-date; default now
	Nonce       string                // default a fresh random nonce
	Before      func(r *http.Request) // edits before signing
	After       func(r *http.Request) // edits after signing (tampering)
	NoSign      bool                  // send no Authorization at all
	SentBody    *string               // body sent, when it differs from the signed one (tampering)
}

// Nonce returns a fresh 32-hex-digit nonce, as the SDK sends.
func Nonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Build signs the request and returns a function producing identical copies of it, for replays.
func (c Call) Build() func() *http.Request {
	if c.Method == "" {
		c.Method = http.MethodGet
	}
	key := c.Key
	if key == (Key{}) {
		key = Dev
	}
	if c.Secret == "" {
		c.Secret = key.Secret
	}
	if c.Date.IsZero() {
		c.Date = time.Now()
	}
	if c.Nonce == "" {
		c.Nonce = Nonce()
	}
	if c.Action == "" {
		c.Action = "Test"
	}
	r := httptest.NewRequest(c.Method, "http://127.0.0.1:8080"+c.Target, nil)
	if c.Body != "" {
		if c.ContentType == "" {
			c.ContentType = "application/json; charset=utf-8"
		}
		r.Header.Set("Content-Type", c.ContentType)
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("x-acs-action", c.Action)
	r.Header.Set("x-acs-version", "2024-03-27")
	r.Header.Set("x-acs-date", c.Date.UTC().Format(alibaba.DateLayout))
	r.Header.Set("x-acs-signature-nonce", c.Nonce)
	r.Header.Set("x-acs-credentials-provider", "static_ak")
	if c.Before != nil {
		c.Before(r)
	}
	if !c.NoSign {
		acs3.Sign(r, []byte(c.Body), key.ID, c.Secret)
	}
	if c.After != nil {
		c.After(r)
	}
	sent := c.Body
	if c.SentBody != nil {
		sent = *c.SentBody
	}
	return func() *http.Request {
		cp := r.Clone(context.Background())
		cp.Body = io.NopCloser(strings.NewReader(sent))
		cp.ContentLength = int64(len(sent))
		return cp
	}
}

// Request signs and returns one request.
func (c Call) Request() *http.Request { return c.Build()() }

// Logged wraps h as the servers do, so answers carry the middleware's request id.
func Logged(h http.Handler) http.Handler {
	return web.Logged(slog.New(slog.DiscardHandler), audit.NewWriter(io.Discard), "alibaba.test", h)
}

// Response is a decoded APIG answer.
type Response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// Code is the answer's code ("Ok" on success).
func (r Response) Code() string { s, _ := r.Body["code"].(string); return s }

// Message is the answer's message.
func (r Response) Message() string { s, _ := r.Body["message"].(string); return s }

// Data is the answer's data object (nil when absent).
func (r Response) Data() map[string]any { d, _ := r.Body["data"].(map[string]any); return d }

// SecretID is the answer's data.secretId ("" when absent).
func (r Response) SecretID() string { s, _ := r.Data()["secretId"].(string); return s }

// Do serves r with h and decodes the answer.
func Do(t testing.TB, h http.Handler, r *http.Request) Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return Parse(t, rec)
}

// Parse decodes a recorded answer and checks what every APIG answer has: JSON, APIG's content
// type, a requestId. It may call t.Fatal, so it runs on the test's goroutine.
func Parse(t testing.TB, rec *httptest.ResponseRecorder) Response {
	t.Helper()
	res := Response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if err := json.Unmarshal(res.Raw, &res.Body); err != nil {
		t.Fatalf("got a body that is not JSON (%v): %s", err, res.Raw)
	}
	if ct := rec.Header().Get("Content-Type"); ct != alibaba.ContentType {
		t.Errorf("got Content-Type %q, want %q", ct, alibaba.ContentType)
	}
	if id, _ := res.Body["requestId"].(string); id == "" {
		t.Errorf("got no requestId in %s", res.Raw)
	}
	return res
}

// Normalisations golden files apply, so a file holds only what is stable across runs.
var (
	requestIDField = regexp.MustCompile(`"requestId":\s*"[^"]*"`)
	secretID       = regexp.MustCompile(`sec-[a-z0-9]{20}`)
	timestamp      = regexp.MustCompile(`("(?:create|update)Timestamp":\s*)\d{13}`)
)

// Golden compares res's body, indented and normalised (request id, secret ids, timestamps),
// with testdata/<name>.json, rewriting the file under -update.
func Golden(t *testing.T, name string, res Response) {
	t.Helper()
	var indented strings.Builder
	enc := json.NewEncoder(&indented)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res.Body); err != nil {
		t.Fatal(err)
	}
	got := requestIDField.ReplaceAllString(indented.String(), `"requestId": "REQUEST-ID"`)
	got = secretID.ReplaceAllString(got, "sec-XXXXXXXXXXXXXXXXXXXX")
	got = timestamp.ReplaceAllString(got, "${1}1700000000000")
	path := filepath.Join("testdata", strings.NewReplacer(" ", "_", "/", "_").Replace(name)+".json")
	testkit.Golden(t, path, []byte(got))
}

// Client is the official APIG client (apig-20240327/v6) for key, pointed at srv over plain HTTP
// on loopback, as a user points it at keyport.
func Client(t testing.TB, srv *httptest.Server, key Key) *apig.Client {
	t.Helper()
	host := strings.TrimPrefix(srv.URL, "http://")
	c, err := apig.NewClient(&openapi.Config{
		Endpoint: &host, Protocol: ptr("http"), AccessKeyId: &key.ID, AccessKeySecret: &key.Secret,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr(s string) *string { return &s }

// CreateBody is a CreateSecret body for name with value, as the SDK serialises it.
func CreateBody(name, value string) string {
	b, _ := json.Marshal(map[string]any{"gatewayType": "API", "kmsConfig": map[string]string{"kmsInstanceId": "kst-1", "kmsKeyId": "key-1"},
		"name": name, "secretData": value, "secretSource": "KMS"})
	return string(b)
}

// Create creates a secret through create (a CreateSecret handler) as key and returns its id.
func Create(t testing.TB, create http.Handler, key Key, body string) string {
	t.Helper()
	res := Do(t, create, Call{Method: http.MethodPost, Target: "/v1/secrets", Action: "CreateSecret", Key: key, Body: body}.Request())
	id := res.SecretID()
	if res.Status != http.StatusOK || id == "" {
		t.Fatalf("create: got %d %s, want a secret id", res.Status, res.Raw)
	}
	return id
}
