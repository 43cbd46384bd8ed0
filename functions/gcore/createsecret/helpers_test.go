package createsecret

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
)

// fixedNow is the clock of every test; expirations are judged against it.
var fixedNow = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// plaintext is the secret the tests store; it must never appear in a record outside the blob.
var plaintext = []byte("keyport-test-plaintext-0123456789")

var payloadB64 = base64.StdEncoding.EncodeToString(plaintext)

// absent, as a value in with(), deletes the field from the body.
var absent = &struct{}{}

type env struct {
	store  *boltstore.Store
	sealer *seal.Sealer
	h      http.Handler // the row at its route, as the local server mounts it
}

func newEnv(t testing.TB) env {
	t.Helper()
	e := env{store: gcoretest.Store(t), sealer: gcoretest.Sealer(t)}
	e.h = gcoretest.Serve(e.deps(t), Row)
	return e
}

func (e env) deps(t testing.TB) operation.Deps {
	return operation.Deps{Store: e.store, Sealer: e.sealer, Creds: gcoretest.Book(t), Now: func() time.Time { return fixedNow }}
}

// with returns a valid body with the given fields replaced (or deleted with absent).
func with(kv ...any) string {
	body := map[string]any{
		"name":                     "AES key",
		"payload":                  payloadB64,
		"payload_content_encoding": "base64",
		"payload_content_type":     "application/octet-stream",
		"secret_type":              "symmetric",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == absent {
			delete(body, kv[i].(string))
			continue
		}
		body[kv[i].(string)] = kv[i+1]
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// auth is the SDK's header for the all-projects token.
func auth() http.Header {
	return gcoretest.Header("Authorization", "APIKey "+gcoretest.TokenAll, "Content-Type", "application/json")
}

// stored follows a create response to its task and secret records.
func stored(t *testing.T, s *boltstore.Store, body []byte) (task gcoretask.Task, secret store.Record) {
	t.Helper()
	var resp struct {
		Tasks []string `json:"tasks"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || len(resp.Tasks) != 1 {
		t.Fatalf("response %s: want {\"tasks\":[one id]} (%v)", body, err)
	}
	rec, err := s.Get(context.Background(), gcoretask.Ref(resp.Tasks[0]))
	if err != nil {
		t.Fatalf("task record: %v", err)
	}
	task, err = gcoretask.FromRecord(rec)
	if err != nil || len(task.Secrets) != 1 {
		t.Fatalf("task %+v, %v: want one secret", task, err)
	}
	secret, err = s.Get(context.Background(), gcoresecret.Ref(task.Scope, task.Secrets[0]))
	if err != nil {
		t.Fatalf("secret record: %v", err)
	}
	return task, secret
}

// checkRefused checks a refused create's answer: status and exception class; with field, that
// invalid_fields holds only field with one reason containing msg and that the message names it;
// without, a message containing msg and no invalid_fields; the payload not echoed; nothing
// stored.
func checkRefused(t *testing.T, e env, w *httptest.ResponseRecorder, status int, class, field, msg string) {
	t.Helper()
	if w.Code != status {
		t.Errorf("status: got %d, want %d: %s", w.Code, status, w.Body)
	}
	got := gcoretest.DecodeError(t, w.Body.Bytes())
	if got.ExceptionClass != class {
		t.Errorf("exception_class: got %q, want %q", got.ExceptionClass, class)
	}
	if field != "" {
		reasons := got.InvalidFields[field]
		if len(got.InvalidFields) != 1 || len(reasons) != 1 || !strings.Contains(reasons[0], msg) {
			t.Errorf("invalid_fields: got %v, want only %s: [%q…]", got.InvalidFields, field, msg)
		}
		if !strings.Contains(got.Message, "'"+field+"'") {
			t.Errorf("message %q does not name %s", got.Message, field)
		}
	} else if !strings.Contains(got.Message, msg) || got.InvalidFields != nil {
		t.Errorf("got message %q, fields %v; want message containing %q and no fields", got.Message, got.InvalidFields, msg)
	}
	if strings.Contains(w.Body.String(), payloadB64) {
		t.Errorf("body echoes the payload: %s", w.Body)
	}
	if n := gcoretest.Count(t, e.store); n != 0 {
		t.Fatalf("store holds %d records after a refusal, want 0", n)
	}
}
