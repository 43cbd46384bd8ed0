package getsecretvalue

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"keyport/functions/alibaba/createsecret"
	at "keyport/shared/api/alibaba/alibabatest"
)

// setup returns GetSecretValue and CreateSecret handlers on one Env, and the counter of its KMS
// Decrypt calls (each open is one).
func setup(t *testing.T) (value, create http.Handler, opens *atomic.Int64, e *at.Env) {
	e = at.NewEnv(t)
	return e.Serve(Row), e.Serve(createsecret.Row), &e.KMS.Decrypts, e
}

func valueCall(name string) at.Call {
	return at.Call{Target: "/v1/secrets/name/" + name + "/value", Action: "GetSecretValue"}
}

func TestGetSecretValue(t *testing.T) {
	value, create, opens, _ := setup(t)
	for _, tc := range []struct{ name, secretData string }{
		{"ascii", "apikey-123456"},
		{"unicode and JSON escapes", "päss\"word\\\n\u2028🔑"},
		{"64 KiB", strings.Repeat("k", 64<<10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.NewReplacer(" ", "_").Replace(tc.name)
			body := at.CreateBody(name, tc.secretData)
			at.Create(t, create, at.Dev, body)
			res := at.Do(t, value, valueCall(name).Request())
			if res.Status != 200 || res.Code() != "Ok" || res.Data()["secretData"] != tc.secretData {
				t.Fatalf("got %d %.200s, want 200 with the value", res.Status, res.Raw)
			}
			if len(res.Data()) != 1 {
				t.Errorf("got data %v, want secretData alone", res.Data())
			}
		})
	}
	if opens.Load() != 3 {
		t.Errorf("got %d opens, want 3", opens.Load())
	}
	at.Create(t, create, at.Dev, at.CreateBody("golden", "apikey-xxxxxxxx"))
	at.Golden(t, "value", at.Do(t, value, valueCall("golden").Request()))
}

// TestNotFound: a name the caller's account has no secret under (unknown, another account's,
// deleted, or one no secret could have) is 404 NotFound.Secret naming it, with nothing opened
// and nothing written.
func TestNotFound(t *testing.T) {
	value, create, opens, e := setup(t)
	at.Create(t, create, at.Other, at.CreateBody("others", "their-value"))
	for _, tc := range []struct{ name, target, inMessage string }{
		{"unknown name", "nobody", `"nobody"`},
		{"another account's name", "others", `"others"`},
		{"name no secret can have", "a-b", `"a-b"`},
		{"escaped slash", "a%2Fb", `"a/b"`},
		{"65 characters", strings.Repeat("n", 65), strings.Repeat("n", 65)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := e.Count(t)
			res := at.Do(t, value, valueCall(tc.target).Request())
			if res.Status != 404 || res.Code() != "NotFound.Secret" || !strings.Contains(res.Message(), tc.inMessage) {
				t.Errorf("got %d %s, want 404 NotFound.Secret naming %s", res.Status, res.Raw, tc.inMessage)
			}
			if strings.Contains(string(res.Raw), "their-value") {
				t.Errorf("got another account's value in %s", res.Raw)
			}
			if got := e.Count(t); got != n {
				t.Errorf("got %d records, want still %d", got, n)
			}
		})
	}
	if opens.Load() != 0 {
		t.Errorf("got %d opens, want none", opens.Load())
	}
	at.Golden(t, "not_found", at.Do(t, value, valueCall("nobody").Request()))
}

// TestReplayOpensNothing: a replay of a value read is refused before the value is opened, on
// the same instance and on another.
func TestReplayOpensNothing(t *testing.T) {
	value, create, opens, e := setup(t)
	at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
	build := valueCall("mine").Build()
	if res := at.Do(t, value, build()); res.Status != 200 {
		t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
	}
	other := e.Serve(Row)
	for name, h := range map[string]http.Handler{"same instance": value, "other instance": other} {
		if res := at.Do(t, h, build()); res.Code() != "SignatureNonceUsed" || strings.Contains(string(res.Raw), `"v"`) {
			t.Errorf("%s: got %d %s, want 400 SignatureNonceUsed without the value", name, res.Status, res.Raw)
		}
	}
	if opens.Load() != 1 {
		t.Errorf("got %d opens, want only the first read's", opens.Load())
	}
}

// TestOpenFails: a KMS failure is a 500 with the generic message, never the cause.
func TestOpenFails(t *testing.T) {
	value, create, _, e := setup(t)
	at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
	e.KMS.Err = errors.New("kms: AccessDeniedException arn:aws:kms:eu-west-1:1:key/k")
	res := at.Do(t, value, valueCall("mine").Request())
	if res.Status != 500 || res.Code() != "InternalError" || strings.Contains(string(res.Raw), "kms") {
		t.Errorf("got %d %s, want 500 InternalError without the cause", res.Status, res.Raw)
	}
}
