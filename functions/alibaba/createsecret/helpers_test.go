package createsecret

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

	"keyport/shared/api/alibaba"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/seal"
	"keyport/shared/sign/acs3"
	"keyport/shared/store/boltstore"
	"keyport/shared/testkit"
	"keyport/shared/web"
)

// env is one handler on a real bolt store and a real local-key sealer in t.TempDir().
type env struct {
	store  *boltstore.Store
	sealer *seal.Sealer
	seals  *testkit.CountingSealer
	deps   Deps
	h      http.Handler
}

func newEnv(t testing.TB) *env {
	t.Helper()
	data := localdatatest.Open(t)
	e := &env{store: data.Store, sealer: data.Sealer}
	e.seals = &testkit.CountingSealer{Inner: e.sealer}
	e.deps = Deps{Store: data.Store, Sealer: e.seals, Creds: credentials.Dev()}
	e.h = logged(New(e.deps))
	return e
}

// logged wraps h as the server does, so responses carry the middleware's request id.
func logged(h http.Handler) http.Handler {
	return web.Logged(slog.New(slog.DiscardHandler), audit.NewWriter(io.Discard), "alibaba-createsecret", h)
}

func (e *env) count(t testing.TB) int {
	t.Helper()
	n, err := e.store.CountRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// call describes one request as the SDK would send it; zero fields take SDK-like defaults.
type call struct {
	method      string                // default POST
	body        string                // sent and signed as is
	contentType string                // default application/json; charset=utf-8
	secret      string                // signing secret; default the dev secret
	date        time.Time             // x-acs-date; default now
	nonce       string                // default a fresh random nonce
	before      func(r *http.Request) // edits before signing
	after       func(r *http.Request) // edits after signing (tampering)
	sentBody    *string               // body actually sent, when it differs from the signed one
	noSign      bool                  // send no Authorization at all
}

const okBody = `{"gatewayType":"API","kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"key-1"},"name":"my_secret","secretData":"apikey-123456","secretSource":"KMS"}`

func freshNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// build returns a function producing identical copies of the signed request, for replays.
func (c call) build() func() *http.Request {
	if c.method == "" {
		c.method = http.MethodPost
	}
	if c.contentType == "" {
		c.contentType = "application/json; charset=utf-8"
	}
	if c.secret == "" {
		c.secret = credentials.DevAlibabaSecret
	}
	if c.date.IsZero() {
		c.date = time.Now()
	}
	if c.nonce == "" {
		c.nonce = freshNonce()
	}
	r := httptest.NewRequest(c.method, "http://127.0.0.1:8080/v1/secrets", nil)
	if c.body != "" {
		r.Header.Set("Content-Type", c.contentType)
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("x-acs-action", "CreateSecret")
	r.Header.Set("x-acs-version", "2024-03-27")
	r.Header.Set("x-acs-date", c.date.UTC().Format(alibaba.DateLayout))
	r.Header.Set("x-acs-signature-nonce", c.nonce)
	r.Header.Set("x-acs-credentials-provider", "static_ak")
	if c.before != nil {
		c.before(r)
	}
	if !c.noSign {
		acs3.Sign(r, []byte(c.body), credentials.DevAlibabaKeyID, c.secret)
	}
	if c.after != nil {
		c.after(r)
	}
	sent := c.body
	if c.sentBody != nil {
		sent = *c.sentBody
	}
	return func() *http.Request {
		cp := r.Clone(context.Background())
		cp.Body = io.NopCloser(strings.NewReader(sent))
		cp.ContentLength = int64(len(sent))
		return cp
	}
}

// response is a decoded APIG response.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r response) code() string { s, _ := r.body["code"].(string); return s }

func (r response) secretID() string {
	d, _ := r.body["data"].(map[string]any)
	s, _ := d["secretId"].(string)
	return s
}

func do(t testing.TB, h http.Handler, r *http.Request) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return parse(t, rec)
}

// parse decodes a recorded response and checks what every APIG response must have. It may
// call t.Fatal, so it runs on the test's goroutine.
func parse(t testing.TB, rec *httptest.ResponseRecorder) response {
	t.Helper()
	res := response{status: rec.Code, header: rec.Header(), raw: rec.Body.Bytes()}
	if err := json.Unmarshal(res.raw, &res.body); err != nil {
		t.Fatalf("got a body that is not JSON (%v): %s", err, res.raw)
	}
	if ct := rec.Header().Get("Content-Type"); ct != alibaba.ContentType {
		t.Errorf("got Content-Type %q, want %q", ct, alibaba.ContentType)
	}
	if id, _ := res.body["requestId"].(string); id == "" {
		t.Errorf("got no requestId in %s", res.raw)
	}
	return res
}

var secretIDPattern = regexp.MustCompile(`^sec-[a-z0-9]{20}$`)

// checkGolden compares the response body, with requestId and secretId normalised, against
// testdata/<name>.json, rewriting the file under -update.
func checkGolden(t *testing.T, name string, res response) {
	t.Helper()
	norm := map[string]any{}
	for k, v := range res.body {
		norm[k] = v
	}
	norm["requestId"] = "REQUEST-ID"
	if d, ok := norm["data"].(map[string]any); ok {
		if id, _ := d["secretId"].(string); secretIDPattern.MatchString(id) {
			norm["data"] = map[string]any{"secretId": "sec-XXXXXXXXXXXXXXXXXXXX"}
		}
	}
	got, err := json.MarshalIndent(norm, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", strings.NewReplacer(" ", "_", "/", "_").Replace(name)+".json")
	testkit.Golden(t, path, got)
}
