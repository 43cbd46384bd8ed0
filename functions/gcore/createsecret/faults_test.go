package createsecret

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/testkit"
)

// failingKMS and testkit.FailingStore inject server faults; the real store underneath shows that
// nothing was written.
type failingKMS struct{ err error }

func (f failingKMS) GenerateDataKey(context.Context, map[string]string) ([]byte, []byte, error) {
	return nil, nil, f.err
}

func (f failingKMS) Decrypt(context.Context, []byte, map[string]string) ([]byte, error) {
	return nil, f.err
}

func TestServerFaults(t *testing.T) {
	const cause = "kms: AccessDenied for key arn:aws:kms:secret"
	tests := []struct {
		name   string
		deps   func(e env) operation.Deps
		status int
	}{
		{"seal fails", func(e env) operation.Deps {
			d := e.deps(t)
			d.Sealer = seal.New(failingKMS{errors.New(cause)})
			return d
		}, 500},
		{"store fails", func(e env) operation.Deps {
			d := e.deps(t)
			d.Store = testkit.FailingStore{Err: errors.New(cause)}
			return d
		}, 500},
		{"store refuses as exists", func(e env) operation.Deps {
			// Fresh ids cannot collide, so a conflict is still the server's fault.
			d := e.deps(t)
			d.Store = testkit.FailingStore{Err: &store.Conflict{Action: 0, Claim: -1, Reason: store.Exists}}
			return d
		}, 500},
		{"store error carrying a client kind", func(e env) operation.Deps {
			d := e.deps(t)
			d.Store = testkit.FailingStore{Err: fault.New(fault.Exists, cause, "already exists")}
			return d
		}, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			h := gcoretest.Serve(tt.deps(e), Row)
			w := gcoretest.Do(h, "POST", path, auth(), with())
			got := gcoretest.DecodeError(t, w.Body.Bytes())
			if w.Code != tt.status || got.ExceptionClass != "InternalServerError" {
				t.Errorf("got %d %s, want %d InternalServerError", w.Code, got.ExceptionClass, tt.status)
			}
			if strings.Contains(w.Body.String(), "kms") || strings.Contains(w.Body.String(), "secret") {
				t.Errorf("body echoes the cause: %s", w.Body)
			}
			if n := gcoretest.Count(t, e.store); n != 0 {
				t.Errorf("store holds %d records, want 0", n)
			}
		})
	}
}

// TestNilNowUsesClock: Deps without Now use the wall clock.
func TestNilNowUsesClock(t *testing.T) {
	e := newEnv(t)
	d := e.deps(t)
	d.Now = nil
	h := gcoretest.Serve(d, Row)
	before := time.Now().Add(-time.Second)
	w := gcoretest.Do(h, "POST", path, auth(), with())
	if w.Code != 200 {
		t.Fatalf("got %d %s, want 200", w.Code, w.Body)
	}
	task, _ := stored(t, e.store, w.Body.Bytes())
	if task.Created.Before(before) {
		t.Errorf("task created %v, want about now", task.Created)
	}
}
