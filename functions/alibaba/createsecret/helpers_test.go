package createsecret

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/alibaba/alibabatest"
)

// env is the CreateSecret handler, as its function serves it, on a real bolt store and a real
// local-key sealer in t.TempDir() whose KMS calls are counted.
type env struct {
	*alibabatest.Env
	h http.Handler
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{Env: alibabatest.NewEnv(t)}
	e.h = e.Serve(Row)
	return e
}

func (e *env) count(t testing.TB) int { return e.Count(t) }

// checkRefused checks a refused request's answer: status and code, a message mentioning msg,
// the secret value (okBody's) not echoed, nothing stored and no data key spent.
func (e *env) checkRefused(t *testing.T, res alibabatest.Response, status int, code, msg string) {
	t.Helper()
	if res.Status != status || res.Code() != code {
		t.Fatalf("got %d %s, want %d %s (%s)", res.Status, res.Code(), status, code, res.Raw)
	}
	if got := res.Message(); !strings.Contains(got, msg) {
		t.Errorf("got message %q, want it to mention %q", got, msg)
	}
	if strings.Contains(string(res.Raw), "apikey-123456") {
		t.Errorf("got the secret value echoed in %s", res.Raw)
	}
	if n := e.count(t); n != 0 {
		t.Errorf("got %d stored records, want 0", n)
	}
	if n := e.KMS.Generates.Load(); n != 0 {
		t.Errorf("got %d data keys generated, want 0 for a refused request", n)
	}
}

// call describes one CreateSecret request as the SDK would send it, as the Dev key; zero fields
// take SDK-like defaults (see alibabatest.Call).
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

// defaults are the members of the smallest valid body (secretSource has a default), in the
// SDK's order.
var defaults = []struct{ key, member string }{
	{"gatewayType", `"gatewayType":"API"`},
	{"kmsConfig", `"kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"key-1"}`},
	{"name", `"name":"a"`},
	{"secretData", `"secretData":"v"`},
}

// body is a CreateSecret body of members (raw `"key":value` JSON text, sent as is, so it may be
// anything) after the defaults that members does not name; "-key" leaves that default out.
func body(members ...string) string {
	var out []string
	for _, d := range defaults {
		if !slices.ContainsFunc(members, func(m string) bool { return m == "-"+d.key || strings.HasPrefix(m, `"`+d.key+`":`) }) {
			out = append(out, d.member)
		}
	}
	for _, m := range members {
		if !strings.HasPrefix(m, "-") {
			out = append(out, m)
		}
	}
	return "{" + strings.Join(out, ",") + "}"
}

// withName returns the smallest valid body with the given name.
func withName(name string) string { return body(`"name":"` + name + `"`) }

// build returns a function producing identical copies of the signed request, for replays.
func (c call) build() func() *http.Request {
	if c.method == "" {
		c.method = http.MethodPost
	}
	return alibabatest.Call{Method: c.method, Target: "/v1/secrets", Action: "CreateSecret", Body: c.body,
		ContentType: c.contentType, Secret: c.secret, Date: c.date, Nonce: c.nonce,
		Before: c.before, After: c.after, SentBody: c.sentBody, NoSign: c.noSign}.Build()
}

var secretIDPattern = regexp.MustCompile(`^sec-[a-z0-9]{20}$`)
