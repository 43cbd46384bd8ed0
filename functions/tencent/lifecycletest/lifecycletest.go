// Package lifecycletest runs the Tencent key actions the way production wires them, for the
// tests of the actions after the creates: every action of the operations table's Tencent
// functions on one real store and key, two accounts to show that neither sees the other's keys,
// and helpers to call an action and read its answer.
package lifecycletest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/functions"
	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// The second account's caller, next to the development one (credentials.DevTencent*).
const (
	OtherSecretID  = "AKIDkeyportOtherAccount"
	OtherSecretKey = "keyportOtherSecretKey"
	OtherAccount   = "100000000002"
)

// Caller is who signs a request.
type Caller struct{ ID, Key string }

// The two callers.
var (
	Dev   = Caller{credentials.DevTencentSecretID, credentials.DevTencentSecretKey}
	Other = Caller{OtherSecretID, OtherSecretKey}
)

// Book is the development book plus the second account.
func Book(tb testing.TB) *credentials.Book {
	tb.Helper()
	b, err := credentials.FromDocument(credentials.Document{Tencent: []credentials.SigningKey{
		{ID: credentials.DevTencentSecretID, Secret: credentials.DevTencentSecretKey, Account: credentials.DevTencentAccount},
		{ID: OtherSecretID, Secret: OtherSecretKey, Account: OtherAccount},
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Env is both Tencent functions on one store.
type Env struct {
	Store    store.Store
	handlers map[string]http.Handler // X-TC-Action -> its function's handler
	ops      map[string]operation.Row
	// Now is the handlers' clock and the signing time; zero means the real clock. Tests may
	// move it between calls, never during one.
	Now time.Time
}

// New builds every Tencent function of the table on st and sealer, with the clock at now
// (zero: the real clock) and a key limit of limit (0: the default).
func New(tb testing.TB, st store.Store, sealer *seal.Sealer, now time.Time, limit int64) *Env {
	tb.Helper()
	e := &Env{Store: st, handlers: map[string]http.Handler{}, ops: map[string]operation.Row{}, Now: now}
	clock := time.Now
	if !now.IsZero() {
		clock = func() time.Time { return e.Now } // tests move e.Now between calls
	}
	deps := operation.Deps{Store: st, Sealer: sealer, Creds: Book(tb), Now: clock, KeyLimit: limit}
	for _, fn := range functions.Functions() {
		if fn.Dialect != operation.Tencent {
			continue
		}
		h := fn.Handler(deps)
		for _, op := range fn.Operations {
			e.handlers[op.Action], e.ops[op.Action] = h, op
		}
	}
	return e
}

// Local is New on a fresh bolt store and local key; it returns the harness too.
func Local(tb testing.TB, now time.Time, limit int64) (*Env, *tencenttest.Harness) {
	h := tencenttest.NewHarness(tb)
	return New(tb, h.Store, h.Sealer, now, limit), h
}

// Request is action with body, signed by c at the env's time.
func (e *Env) Request(tb testing.TB, c Caller, action, body string) *http.Request {
	tb.Helper()
	op, ok := e.ops[action]
	if !ok {
		tb.Fatalf("no Tencent action %s in the operations table", action)
	}
	api := map[string]tencent.API{"tencent-apigateway": tencent.APIGateway, "tencent-teo": tencent.EdgeOne}[op.Function]
	return tencenttest.Request{Action: action, Version: api.Version, Service: api.Service, Body: body, Time: e.Now,
		SecretID: c.ID, SecretKey: c.Key}.HTTP(tb)
}

// Handler is the handler that serves action.
func (e *Env) Handler(action string) http.Handler { return e.handlers[action] }

// Call serves action with body signed by c and returns the error code ("" on success) and the
// response's fields inside Response.
func (e *Env) Call(tb testing.TB, c Caller, action, body string) (string, Response) {
	tb.Helper()
	code, resp, _ := e.CallRaw(tb, c, action, body)
	return code, resp
}

// CallRaw is Call that also returns the body as sent.
func (e *Env) CallRaw(tb testing.TB, c Caller, action, body string) (string, Response, []byte) {
	tb.Helper()
	w := tencenttest.Serve(tb, e.handlers[action], e.Request(tb, c, action, body))
	code := tencenttest.Code(tb, w.Body.Bytes())
	var env struct{ Response Response }
	if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil {
		tb.Fatalf("body %s: %v", w.Body, err)
	}
	return code, env.Response, w.Body.Bytes()
}

// Must is Call that fails the test unless the action succeeds.
func (e *Env) Must(tb testing.TB, c Caller, action, body string) Response {
	tb.Helper()
	code, resp := e.Call(tb, c, action, body)
	if code != "" {
		tb.Fatalf("%s %s: got code %s (%s), want success", action, body, code, resp.Error.Message)
	}
	return resp
}

// Response is the fields of a Tencent response the key actions use.
type Response struct {
	Error *struct {
		Code, Message string
	}
	Result    json.RawMessage
	SecretKey *string
	RequestID string `json:"RequestId"`
}

// APIKey is Tencent's ApiKey as a client reads it.
type APIKey struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string
	AccessKeyType   string
	SecretName      string
	ModifiedTime    string
	Status          *int64
	CreatedTime     string
	Tags            []struct{ Key, Value string }
}

// Key decodes Result as an ApiKey.
func (r Response) Key(tb testing.TB) APIKey {
	tb.Helper()
	var k APIKey
	if err := json.Unmarshal(r.Result, &k); err != nil {
		tb.Fatalf("Result %s: %v", r.Result, err)
	}
	return k
}

// List decodes Result as ApiKeysStatus.
func (r Response) List(tb testing.TB) (int64, []APIKey) {
	tb.Helper()
	var s struct {
		TotalCount int64
		ApiKeySet  []APIKey
	}
	if err := json.Unmarshal(r.Result, &s); err != nil {
		tb.Fatalf("Result %s: %v", r.Result, err)
	}
	return s.TotalCount, s.ApiKeySet
}

// Create creates an API key for c and returns it.
func (e *Env) Create(tb testing.TB, c Caller, body string) APIKey {
	tb.Helper()
	return e.Must(tb, c, "CreateApiKey", body).Key(tb)
}

// Serve runs r on the action's handler and returns the recorder (for concurrency helpers).
func (e *Env) Serve(action string, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.handlers[action].ServeHTTP(w, r)
	return w
}

// Server serves every Tencent action on loopback as the local server does (the function is
// chosen by X-TC-Action) and returns its host:port, the SDKs' Endpoint.
func (e *Env) Server(tb testing.TB) string {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := e.handlers[r.Header.Get("X-TC-Action")]
		if !ok {
			h = e.handlers["CreateApiKey"] // answers InvalidAction in Tencent's envelope
		}
		h.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}
