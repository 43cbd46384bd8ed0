package getsecret

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"keyport/functions/alibaba/createsecret"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/store"
)

// setup returns GetSecret and CreateSecret handlers on one real store, and the store's env.
func setup(t *testing.T) (get, create http.Handler, e *at.Env) {
	e = at.NewEnv(t)
	get, create = e.Serve(Row), e.Serve(createsecret.Row)
	return get, create, e
}

func getCall(id string) at.Call { return at.Call{Target: "/v1/secrets/" + id, Action: "GetSecret"} }

var integerTimestamps = regexp.MustCompile(`"createTimestamp":\d{13},.*"updateTimestamp":\d{13}`)

// TestGetSecret reads secrets created with every field, with only the required ones, and one
// stored before gatewayType and kmsConfig were required: every field APIG documents on a secret
// is in each answer (docs/wire/alibaba.md, "Required and defaulted fields").
func TestGetSecret(t *testing.T) {
	get, create, e := setup(t)
	before := time.Now().UnixMilli()
	full := at.Create(t, create, at.Dev, `{"name":"full","secretData":"apikey-full","description":"a key","gatewayType":"AI",`+
		`"secretSource":"KMS","kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"key-1"}}`)
	minimal := at.Create(t, create, at.Dev, `{"name":"minimal","secretData":"apikey-minimal","gatewayType":"API",`+
		`"kmsConfig":{"kmsInstanceId":"kst-2","kmsKeyId":"key-2"}}`)
	legacy := apigsecret.NewID(time.Now())
	older := store.Record{Ref: apigsecret.Ref(at.Dev.Account, legacy), CreatedAt: time.Now(),
		Attrs: store.Attrs{apigsecret.AttrName: "older", apigsecret.AttrStatus: apigsecret.StatusEnabled}}
	if err := e.Store.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: older}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, id, wantName string }{
		{"every field", full, "full"},
		{"only the required fields", minimal, "minimal"},
		{"stored without gatewayType and kmsConfig", legacy, "older"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := at.Do(t, get, getCall(tc.id).Request())
			d := res.Data()
			if res.Status != 200 || res.Code() != "Ok" || d["secretId"] != tc.id || d["name"] != tc.wantName {
				t.Fatalf("got %d %s, want 200 with secret %s", res.Status, res.Raw, tc.id)
			}
			if strings.Contains(string(res.Raw), "apikey-") || d["secretData"] != nil {
				t.Errorf("got the value in %s, want metadata only", res.Raw)
			}
			if !integerTimestamps.Match(res.Raw) {
				t.Errorf("got %s, want integer millisecond timestamps", res.Raw)
			}
			for _, field := range []string{"gatewayType", "secretSource", "kmsConfig"} {
				if _, ok := d[field]; !ok {
					t.Errorf("got %s, want %s in it", res.Raw, field)
				}
			}
			created, updated := d["createTimestamp"].(float64), d["updateTimestamp"].(float64)
			if int64(created) < before || int64(created) > time.Now().UnixMilli() || updated != created {
				t.Errorf("got create %v update %v, want now, and equal for a secret never updated", created, updated)
			}
			at.Golden(t, "get_"+tc.name, res)
		})
	}
}

// TestNotFound: whatever the id, a secret the caller's account does not have is 404
// NotFound.Secret naming the id, and nothing is written (not even the nonce).
func TestNotFound(t *testing.T) {
	get, create, e := setup(t)
	other := at.Create(t, create, at.Other, at.CreateBody("others", "v"))
	for _, tc := range []struct{ name, target, inMessage string }{
		{"unknown id", "sec-aaaaaaaaaaaaaaaaaaaa", `"sec-aaaaaaaaaaaaaaaaaaaa"`},
		{"another account's secret", other, `"` + other + `"`},
		{"malformed id", "not-an-id", `"not-an-id"`},
		{"upper-case id", "sec-AAAAAAAAAAAAAAAAAAAA", `"sec-AAAAAAAAAAAAAAAAAAAA"`},
		{"escaped slash", "sec-a%2Fb", `"sec-a/b"`},
		{"escaped space and unicode", "a%20%C3%A9", `"a é"`},
		{"escaped invalid UTF-8", "%FF%FE", `"\xff\xfe"`},
		{"long id", strings.Repeat("x", 300), `"` + strings.Repeat("x", 128) + `"…`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := e.Count(t)
			res := at.Do(t, get, getCall(tc.target).Request())
			if res.Status != 404 || res.Code() != "NotFound.Secret" || !strings.Contains(res.Message(), tc.inMessage) {
				t.Errorf("got %d %s, want 404 NotFound.Secret naming %s", res.Status, res.Raw, tc.inMessage)
			}
			if got := e.Count(t); got != n {
				t.Errorf("got %d records, want still %d", got, n)
			}
		})
	}
	res := at.Do(t, get, getCall("sec-aaaaaaaaaaaaaaaaaaaa").Request())
	at.Golden(t, "not_found", res)
}

// TestRefusals: requests that are not well-formed GetSecret calls are refused in APIG's envelope
// and write nothing.
func TestRefusals(t *testing.T) {
	get, create, e := setup(t)
	id := at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
	for _, tc := range []struct {
		name   string
		call   at.Call
		status int
		code   string
	}{
		{"unsigned", at.Call{Target: "/v1/secrets/" + id, NoSign: true}, 400, "IncompleteSignature"},
		{"wrong secret", at.Call{Target: "/v1/secrets/" + id, Secret: "wrong"}, 403, "SignatureDoesNotMatch"},
		{"stale date", at.Call{Target: "/v1/secrets/" + id, Date: time.Now().Add(-16 * time.Minute)}, 400, "InvalidTimeStamp.Expired"},
		{"path changed after signing", at.Call{Target: "/v1/secrets/" + id, After: func(r *http.Request) {
			r.URL.Path, r.URL.RawPath = "/v1/secrets/sec-aaaaaaaaaaaaaaaaaaaa", ""
		}}, 403, "SignatureDoesNotMatch"},
		{"query added after signing", at.Call{Target: "/v1/secrets/" + id, After: func(r *http.Request) { r.URL.RawQuery = "x=1" }}, 403, "SignatureDoesNotMatch"},
		{"another method", at.Call{Method: "PATCH", Target: "/v1/secrets/" + id}, 405, "UnsupportedOperation"},
		{"another path", at.Call{Target: "/v1/secret/" + id}, 404, "NotFound"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := e.Count(t)
			res := at.Do(t, get, tc.call.Request())
			if res.Status != tc.status || res.Code() != tc.code {
				t.Errorf("got %d %s, want %d %s", res.Status, res.Raw, tc.status, tc.code)
			}
			if got := e.Count(t); got != n {
				t.Errorf("got %d records, want still %d", got, n)
			}
		})
	}
}

// TestReplay: a read that succeeded cannot be replayed, on the same instance (its nonce cache)
// nor on another (the nonce spent in the store).
func TestReplay(t *testing.T) {
	get, create, e := setup(t)
	id := at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
	build := getCall(id).Build()
	if res := at.Do(t, get, build()); res.Status != 200 {
		t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
	}
	for name, h := range map[string]http.Handler{"same instance": get, "other instance": e.Serve(Row)} {
		if res := at.Do(t, h, build()); res.Status != 400 || res.Code() != "SignatureNonceUsed" {
			t.Errorf("%s: got %d %s, want 400 SignatureNonceUsed", name, res.Status, res.Raw)
		}
	}
}
