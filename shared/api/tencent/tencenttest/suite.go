package tencenttest

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyport/shared/credentials"
)

// Action describes one Tencent action for RouterSuite: how to sign a valid request to it, and
// a fresh handler on a fresh Harness for each case.
type Action struct {
	// Signed returns a correctly signed request carrying body.
	Signed func(body string) Request
	// Body is a body the action accepts.
	Body string
	// OtherAction and OtherVersion name an action and a version of another Tencent service,
	// which this action's router must refuse.
	OtherAction, OtherVersion string
	// OtherService is the credential scope of another Tencent service.
	OtherService string
	// New returns the handler under test and the harness it stores into.
	New func(tb testing.TB) (http.Handler, *Harness)
	// NothingStored checks what the action would have written is absent (nil: AssertEmpty).
	NothingStored func(tb testing.TB, h *Harness)
	// Golden names, by case, the golden files (testdata/<name>.json) of the refusals to pin.
	Golden map[string]string
}

// RouterSuite runs the checks every Tencent action inherits from the router, through the real
// handler: each refusal has its exact code, stores nothing and seals nothing, and a client that
// also signs x-tc-action is accepted.
func RouterSuite(t *testing.T, a Action) {
	now := a.Signed(a.Body).Time
	with := func(f func(q *Request)) Request { q := a.Signed(a.Body); f(&q); return q }
	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	tests := []struct {
		name     string
		req      Request
		mutate   func(*http.Request)
		wantCode string
	}{
		{"no Authorization", a.Signed(a.Body), func(r *http.Request) { r.Header.Del("Authorization") }, "AuthFailure.InvalidAuthorization"},
		{"garbled Authorization", a.Signed(a.Body), set("Authorization", "TC3-HMAC-SHA256 nonsense"), "AuthFailure.InvalidAuthorization"},
		{"garbled credential", a.Signed(a.Body), set("Authorization", "TC3-HMAC-SHA256 Credential=AKID, Signature=zz"), "AuthFailure.InvalidAuthorization"},
		{"SignedHeaders without host", a.Signed(a.Body), func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;host", "content-type;x-tc-action", 1))
		}, "AuthFailure.InvalidAuthorization"},
		{"no X-TC-Timestamp", a.Signed(a.Body), func(r *http.Request) { r.Header.Del("X-TC-Timestamp") }, "MissingParameter"},
		{"X-TC-Timestamp not an integer", a.Signed(a.Body), set("X-TC-Timestamp", "soon"), "InvalidParameter"},
		{"timestamp 6 minutes old", with(func(q *Request) { q.Time = now.Add(-6 * time.Minute) }), nil, "AuthFailure.SignatureExpire"},
		{"timestamp 6 minutes ahead", with(func(q *Request) { q.Time = now.Add(6 * time.Minute) }), nil, "AuthFailure.SignatureExpire"},
		{"other service in scope", with(func(q *Request) { q.Service = a.OtherService }), nil, "AuthFailure.SignatureFailure"},
		{"unknown SecretId", with(func(q *Request) { q.SecretID, q.SecretKey = "AKIDunknown", "k" }), nil, "AuthFailure.SecretIdNotFound"},
		{"bad signature", with(func(q *Request) {
			q.SecretID, q.SecretKey = credentials.DevTencentSecretID, "not-the-key"
		}), nil, "AuthFailure.SignatureFailure"},
		{"GET", a.Signed(a.Body), func(r *http.Request) { r.Method = http.MethodGet }, "UnsupportedProtocol"},
		{"form-encoded POST", a.Signed(a.Body), set("Content-Type", "application/x-www-form-urlencoded"), "UnsupportedProtocol"},
		{"other action", a.Signed(a.Body), set("X-TC-Action", a.OtherAction), "InvalidAction"},
		{"other version", a.Signed(a.Body), set("X-TC-Version", a.OtherVersion), "NoSuchVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, harness := a.New(t)
			r := tt.req.HTTP(t)
			if tt.mutate != nil {
				tt.mutate(r)
			}
			w := Serve(t, h, r)
			if code := Code(t, w.Body.Bytes()); code != tt.wantCode {
				t.Fatalf("got code %q, want %q (body %s)", code, tt.wantCode, w.Body)
			}
			if name, ok := a.Golden[tt.name]; ok {
				Golden(t, filepath.Join("testdata", name+".json"), Normalise(w.Body.Bytes()))
			}
			if a.NothingStored != nil {
				a.NothingStored(t, harness)
			} else {
				harness.AssertEmpty(t)
			}
			harness.AssertNotSealed(t)
		})
	}
	t.Run("x-tc-action also signed", func(t *testing.T) {
		h, _ := a.New(t)
		q := a.Signed(a.Body)
		q.SignedHeaders = []string{"content-type", "host", "x-tc-action"}
		w := Serve(t, h, q.HTTP(t))
		if code := Code(t, w.Body.Bytes()); code != "" {
			t.Fatalf("got code %q, want success (body %s)", code, w.Body)
		}
	})
}
