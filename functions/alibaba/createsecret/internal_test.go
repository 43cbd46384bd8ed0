package createsecret

import (
	"errors"
	"strings"
	"testing"

	"keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/testkit"
)

// TestInternalErrors injects server-side failures: each must render 500 InternalError with the
// generic message and never the cause; unexpected store faults must not leak record keys.
func TestInternalErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(e *env, d *operation.Deps)
	}{
		{"sealer fails", func(e *env, _ *operation.Deps) {
			e.KMS.Err = errors.New("kms: AccessDeniedException arn:aws:kms:eu-west-1:1:key/k")
		}},
		{"store fails", func(_ *env, d *operation.Deps) {
			d.Store = testkit.FailingStore{Err: errors.New("bolt: disk I/O error at kms")}
		}},
		{"secret id collides", func(_ *env, d *operation.Deps) {
			d.Store = testkit.FailingStore{Err: &store.Conflict{Action: apigsecret.ActionSecret, Claim: -1, Reason: store.Exists}}
		}},
		{"unexpected conflict", func(_ *env, d *operation.Deps) {
			d.Store = testkit.FailingStore{Err: &store.Conflict{Action: apigsecret.ActionNonce, Claim: -1, Reason: store.AtLimit}}
		}},
		{"store error carrying a client kind", func(_ *env, d *operation.Deps) {
			d.Store = testkit.FailingStore{Err: fault.New(fault.Exists, "alibaba-apig/secret/1/sec-x", "already exists")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			d := e.Deps(nil)
			tc.edit(e, &d)
			res := alibabatest.Do(t, alibabatest.ServeOn(Row, d), call{body: okBody}.build()())
			if res.Status != 500 || res.Code() != "InternalError" {
				t.Fatalf("got %d %s, want 500 InternalError", res.Status, res.Raw)
			}
			for _, leak := range []string{"kms", "bolt", "alibaba-apig/", "quota"} {
				if strings.Contains(string(res.Raw), leak) {
					t.Errorf("got %q in the body %s, want no internal detail", leak, res.Raw)
				}
			}
			if n := e.count(t); n != 0 {
				t.Errorf("got %d records, want 0", n)
			}
			alibabatest.Golden(t, "internal", res)
		})
	}
}

// TestMissingDepsPanic: a function built without what its row needs fails when it starts (the
// one policy, operation.Row.Restrict), never on a request.
func TestMissingDepsPanic(t *testing.T) {
	e := newEnv(t)
	for name, d := range map[string]operation.Deps{
		"no store":  {Sealer: e.Sealer, Creds: e.Creds},
		"no sealer": {Store: e.Store, Creds: e.Creds},
		"no creds":  {Store: e.Store, Sealer: e.Sealer},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("got no panic, want one")
				}
			}()
			Row.Serve(d)
		})
	}
}
