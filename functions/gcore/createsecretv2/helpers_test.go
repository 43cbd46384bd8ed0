package createsecretv2

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/functions/gcore/deletesecret"
	"keyport/functions/gcore/getsecret"
	"keyport/functions/gcore/gettask"
	"keyport/functions/gcore/listsecrets"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store/boltstore"
)

const path = "/cloud/v2/secrets/1/76"

// absent, as a value in body(), deletes the member.
var absent = &struct{}{}

type env struct {
	store  *boltstore.Store
	sealer *seal.Sealer
	now    time.Time
	// h serves the v2 create with the v1 reads and delete and the task read, as the local
	// server mounts them, so a test can follow a v2 secret through v1.
	h   http.Handler
	pki pki // a valid P-256 certificate, chain and PKCS #8 key
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{store: gcoretest.Store(t), sealer: gcoretest.Sealer(t), now: time.Now().UTC().Truncate(time.Second)}
	d := operation.Deps{Store: e.store, Sealer: e.sealer, Creds: gcoretest.Book(t), Now: func() time.Time { return e.now }}
	e.h = gcoretest.Serve(d, Row, gettask.Row, getsecret.Row, listsecrets.Row, deletesecret.Row)
	e.pki = newPKI(t, ecKey(t), pkcs8)
	return e
}

// body renders a create body from p with members replaced: "name" and "expiration" at the top,
// "certificate", "certificate_chain", "private_key" in payload, and "payload" itself; absent
// deletes a member.
func (p pki) body(kv ...any) string {
	top := map[string]any{"name": "lb certificate"}
	payload := map[string]any{"certificate": p.cert, "certificate_chain": p.chain, "private_key": p.key}
	top["payload"] = payload
	for i := 0; i+1 < len(kv); i += 2 {
		m := top
		if k := kv[i].(string); k == "certificate" || k == "certificate_chain" || k == "private_key" {
			m = payload
		}
		if kv[i+1] == absent {
			delete(m, kv[i].(string))
		} else {
			m[kv[i].(string)] = kv[i+1]
		}
	}
	b, err := json.Marshal(top)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// auth is the SDK's header for the token that reaches projects 1 and 2.
func auth() http.Header {
	return gcoretest.Header("Authorization", "APIKey "+gcoretest.TokenAll, "Content-Type", "application/json")
}

// created follows a 200 create answer to its task and returns the secret id it names.
func (e *env) created(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	return e.createdAs(t, w, auth())
}

// createdAs is created, reading the task with header's token.
func (e *env) createdAs(t *testing.T, w *httptest.ResponseRecorder, header http.Header) string {
	t.Helper()
	var resp struct{ Tasks []string }
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &resp) != nil || len(resp.Tasks) != 1 {
		t.Fatalf("create: got %d %s, want 200 {\"tasks\":[one id]}", w.Code, w.Body)
	}
	tw := gcoretest.Do(e.h, "GET", "/cloud/v1/tasks/"+resp.Tasks[0], header, "")
	var task struct {
		State            string
		TaskType         string                     `json:"task_type"`
		CreatedResources struct{ Secrets []string } `json:"created_resources"`
	}
	if tw.Code != 200 || json.Unmarshal(tw.Body.Bytes(), &task) != nil || task.State != "FINISHED" ||
		task.TaskType != "create_secret" || len(task.CreatedResources.Secrets) != 1 {
		t.Fatalf("task: got %d %s, want a FINISHED create_secret naming one secret", tw.Code, tw.Body)
	}
	return task.CreatedResources.Secrets[0]
}

// checkRefused checks a refusal: status, class, invalid_fields naming exactly field (when not
// "") with a reason containing msg, or else a message containing msg; no PEM echoed; nothing
// stored.
func (e *env) checkRefused(t *testing.T, w *httptest.ResponseRecorder, status int, class, field, msg string) {
	t.Helper()
	got := gcoretest.DecodeError(t, w.Body.Bytes())
	if w.Code != status || got.ExceptionClass != class {
		t.Errorf("got %d %s, want %d %s: %s", w.Code, got.ExceptionClass, status, class, w.Body)
	}
	if field != "" {
		reasons := got.InvalidFields[field]
		if len(got.InvalidFields) != 1 || len(reasons) != 1 || !strings.Contains(reasons[0], msg) ||
			!strings.Contains(got.Message, "'"+field+"'") {
			t.Errorf("got %q %v, want only %s: [%q…]", got.Message, got.InvalidFields, field, msg)
		}
	} else if !strings.Contains(got.Message, msg) {
		t.Errorf("message %q does not contain %q", got.Message, msg)
	}
	if strings.Contains(w.Body.String(), "-----") || strings.Contains(w.Body.String(), "MII") {
		t.Errorf("body echoes PEM: %s", w.Body)
	}
	if n := gcoretest.Count(t, e.store); n != 0 {
		t.Fatalf("store holds %d records after a refusal, want 0", n)
	}
}
