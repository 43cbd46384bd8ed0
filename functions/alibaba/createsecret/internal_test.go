package createsecret

import (
	"errors"
	"strings"
	"testing"

	"keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/fault"
	"keyport/shared/store"
	"keyport/shared/testkit"
)

// TestInternalErrors injects server-side failures: each must render 500 InternalError with the
// generic message and never the cause; unexpected store faults must not leak record keys.
func TestInternalErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(d *Deps)
	}{
		{"sealer fails", func(d *Deps) {
			d.Sealer = &testkit.CountingSealer{Err: errors.New("kms: AccessDeniedException arn:aws:kms:eu-west-1:1:key/k")}
		}},
		{"store fails", func(d *Deps) { d.Store = testkit.FailingStore{Err: errors.New("bolt: disk I/O error at kms")} }},
		{"secret id collides", func(d *Deps) {
			d.Store = testkit.FailingStore{Err: &store.Conflict{Action: actionSecret, Claim: -1, Reason: store.Exists}}
		}},
		{"unexpected conflict", func(d *Deps) {
			d.Store = testkit.FailingStore{Err: &store.Conflict{Action: actionNonce, Claim: -1, Reason: store.AtLimit}}
		}},
		{"store error carrying a client kind", func(d *Deps) {
			d.Store = testkit.FailingStore{Err: fault.New(fault.Exists, "alibaba-apig/secret/1/sec-x", "already exists")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			d := e.deps
			tc.edit(&d)
			res := alibabatest.Do(t, alibabatest.Logged(New(d)), call{body: okBody}.build()())
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

func TestNewPanicsWithoutDeps(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("got no panic for empty Deps, want one")
		}
	}()
	New(Deps{})
}
