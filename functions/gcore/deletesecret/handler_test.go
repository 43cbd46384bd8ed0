package deletesecret

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/testkit"
)

// TestDeleteThenPoll is what Terraform's provider does: delete, poll the task until FINISHED,
// then require the secret's GET to fail.
func TestDeleteThenPoll(t *testing.T) {
	tests := []struct {
		name, token, path string
		scope             gcore.Scope
		id                string
	}{
		{"SDK scheme", gcoretest.TokenAll, "/cloud/v1/secrets/1/76/" + idP1R76, gcore.Scope{Project: 1, Region: 76}, idP1R76},
		{"upper-case id, leading zeros", gcoretest.TokenAll, "/cloud/v1/secrets/01/076/" + strings.ToUpper(idP1R76), gcore.Scope{Project: 1, Region: 76}, idP1R76},
		{"region-limited token", gcoretest.TokenRegion7, "/cloud/v1/secrets/3/7/" + idP3R7, gcore.Scope{Project: 3, Region: 7}, idP3R7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, gcoretest.Store(t))
			w := gcoretest.Do(e.h, "DELETE", tt.path, gcoretest.APIKey(tt.token), "")
			if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("got %d %q %s, want 200 application/json", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			taskID := taskOf(t, w.Body.Bytes())
			if tt.name == "SDK scheme" {
				gcoretest.Golden(t, "delete-response", w.Body.Bytes())
			}
			// The secret is gone, the other secrets are not, and the task is stored twice.
			if _, err := e.store.Get(context.Background(), gcoresecret.Ref(tt.scope, tt.id)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("secret after delete: got %v, want ErrNotFound", err)
			}
			if n := count(t, e.store); n != 4-1+2 {
				t.Errorf("store holds %d records, want 5 (three secrets and the task's two copies)", n)
			}
			for _, ref := range []store.Ref{gcoretask.Ref(taskID), gcoretask.ProjectRef(tt.scope.Project, taskID)} {
				rec, err := e.store.Get(context.Background(), ref)
				task, terr := gcoretask.FromRecord(rec)
				if err != nil || terr != nil || task.Deleted != tt.id || task.Scope != tt.scope || task.Type != "delete_secret" ||
					len(task.Secrets) != 0 || !task.Created.Equal(fixedNow) || task.RequestID == "" {
					t.Errorf("task copy %v: got %+v, %v, %v", ref, task, err, terr)
				}
			}
			// Poll: FINISHED at once, nothing created, the deleted id in data.
			w = gcoretest.Do(e.h, "GET", "/cloud/v1/tasks/"+taskID, gcoretest.APIKey(tt.token), "")
			var task map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &task); err != nil || w.Code != 200 {
				t.Fatalf("poll: got %d %s", w.Code, w.Body)
			}
			cr, _ := json.Marshal(task["created_resources"])
			data, _ := json.Marshal(task["data"])
			if task["state"] != "FINISHED" || task["task_type"] != "delete_secret" || string(cr) != "{}" ||
				string(data) != `{"secret_id":"`+tt.id+`"}` || task["error"] != nil {
				t.Errorf("task: got %s", w.Body)
			}
			if tt.name == "SDK scheme" {
				gcoretest.Golden(t, "delete-task", w.Body.Bytes())
			}
			// Then the secret's GET fails, with 404.
			w = gcoretest.Do(e.h, "GET", "/cloud/v1/secrets/"+tt.path[len("/cloud/v1/secrets/"):], gcoretest.APIKey(tt.token), "")
			if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 404 || got.ExceptionClass != "NotFoundError" {
				t.Errorf("GET after delete: got %d %s, want 404 NotFoundError", w.Code, got.ExceptionClass)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name       string
		header     http.Header
		path       string
		wantStatus int
		wantClass  string
		wantMsg    string
	}{
		{"no Authorization", nil, "/cloud/v1/secrets/1/76/" + idP1R76, 401, "NotAuthenticated", "Authentication credentials were not provided."},
		{"wrong token", gcoretest.APIKey("nope"), "/cloud/v1/secrets/1/76/" + idP1R76, 401, "AuthenticationFailed", "Bad permanent token."},
		{"unknown id", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76/" + unknownID, 404, "NotFoundError", "Secret " + unknownID + " could not be found"},
		{"another region of the project", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/77/" + idP1R76, 404, "NotFoundError", "Secret " + idP1R76 + " could not be found"},
		{"another project the key reaches", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/2/76/" + idP1R76, 404, "NotFoundError", "Secret " + idP1R76 + " could not be found"},
		{"a project the key does not reach", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/3/7/" + idP3R7, 404, "NotFoundError", "Project 3 could not be found"},
		{"a region the key does not reach", gcoretest.APIKey(gcoretest.TokenRegion7), "/cloud/v1/secrets/3/8/" + idP3R7, 404, "NotFoundError", "Region 8 could not be found"},
		{"project 1 with the region-limited token", gcoretest.APIKey(gcoretest.TokenRegion7), "/cloud/v1/secrets/1/76/" + idP1R76, 404, "NotFoundError", "Project 1 could not be found"},
		{"malformed id", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76/not-a-uuid", 404, "NotFoundError", "Secret could not be found"},
		{"urn id", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76/urn:uuid:" + idP1R76, 404, "NotFoundError", "Secret could not be found"},
		{"region not a number", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/x/" + idP1R76, 404, "NotFoundError", "Not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, gcoretest.Store(t))
			w := gcoretest.Do(e.h, "DELETE", tt.path, tt.header, "")
			got := gcoretest.DecodeError(t, w.Body.Bytes())
			if w.Code != tt.wantStatus || got.ExceptionClass != tt.wantClass || !strings.Contains(got.Message, tt.wantMsg) {
				t.Fatalf("got %d %s %q, want %d %s %q", w.Code, got.ExceptionClass, got.Message, tt.wantStatus, tt.wantClass, tt.wantMsg)
			}
			if n := count(t, e.store); n != 4 {
				t.Errorf("store holds %d records after a refusal, want the 4 seeded", n)
			}
		})
	}
}

// TestOtherTenantLooksUnknown: deleting another project's or region's secret is answered
// exactly as deleting an id that exists nowhere, and deletes nothing.
func TestOtherTenantLooksUnknown(t *testing.T) {
	e := newEnv(t, gcoretest.Store(t))
	norm := func(path, id string) (int, string) {
		w := gcoretest.Do(e.h, "DELETE", path, gcoretest.APIKey(gcoretest.TokenAll), "")
		return w.Code, strings.ReplaceAll(string(gcoretest.Normalize(t, w.Body.Bytes())), id, "")
	}
	wantCode, want := norm("/cloud/v1/secrets/2/76/"+unknownID, unknownID)
	for _, path := range []string{"/cloud/v1/secrets/2/76/" + idP1R76, "/cloud/v1/secrets/1/77/" + idP1R76, "/cloud/v1/secrets/1/76/" + idP2R76} {
		id := path[len(path)-36:]
		if code, got := norm(path, id); code != wantCode || got != want {
			t.Errorf("%s: got %d %s, want %d %s", path, code, got, wantCode, want)
		}
	}
	if n := count(t, e.store); n != 4 {
		t.Errorf("store holds %d records, want the 4 seeded", n)
	}
	gcoretest.Golden(t, "error-unknown", gcoretest.Do(e.h, "DELETE", "/cloud/v1/secrets/1/76/"+unknownID, gcoretest.APIKey(gcoretest.TokenAll), "").Body.Bytes())
}

// TestSecondDeleteIsNotFound: a secret is deleted once; deleting it again is a 404 that
// writes no task.
func TestSecondDeleteIsNotFound(t *testing.T) {
	e := newEnv(t, gcoretest.Store(t))
	path := "/cloud/v1/secrets/1/76/" + idP1R76
	if w := gcoretest.Do(e.h, "DELETE", path, gcoretest.APIKey(gcoretest.TokenAll), ""); w.Code != 200 {
		t.Fatalf("first delete: got %d %s", w.Code, w.Body)
	}
	w := gcoretest.Do(e.h, "DELETE", path, gcoretest.APIKey(gcoretest.TokenAll), "")
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 404 || got.ExceptionClass != "NotFoundError" {
		t.Fatalf("second delete: got %d %s, want 404 NotFoundError", w.Code, got.ExceptionClass)
	}
	if n := count(t, e.store); n != 5 {
		t.Errorf("store holds %d records, want 5 (one delete's task only)", n)
	}
}

// TestExpiredIsGone: a secret whose expiration passed cannot be deleted; it is not found.
func TestExpiredIsGone(t *testing.T) {
	e := newEnv(t, gcoretest.Store(t))
	id := "f6a7b8c9-d0e1-4f2a-9b4c-5d6e7f8091a2"
	rec := gcoresecret.Secret{ID: id, Name: "short", SecretType: "opaque", PayloadContentType: "text/plain", Created: time.Now(),
		Expiration: time.Now().Add(300 * time.Millisecond)}.Record(gcore.Scope{Project: 1, Region: 76})
	if err := e.store.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: rec}}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	w := gcoretest.Do(e.h, "DELETE", "/cloud/v1/secrets/1/76/"+id, gcoretest.APIKey(gcoretest.TokenAll), "")
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 404 || got.ExceptionClass != "NotFoundError" {
		t.Fatalf("got %d %s, want 404 NotFoundError", w.Code, got.ExceptionClass)
	}
	if n := count(t, e.store); n != 4 {
		t.Errorf("store holds %d live records, want the 4 seeded", n)
	}
}

func TestBadMethodWhenMountedAlone(t *testing.T) {
	h := Row.Serve(operation.Deps{Store: gcoretest.Store(t), Creds: gcoretest.Book(t)})
	w := gcoretest.Do(h, "POST", "/cloud/v1/secrets/1/76/"+idP1R76, gcoretest.APIKey(gcoretest.TokenAll), "")
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 405 || got.ExceptionClass != "HTTPError" || w.Header().Get("Allow") != "DELETE" {
		t.Fatalf("got %d %s Allow=%q, want 405 HTTPError Allow=DELETE", w.Code, got.ExceptionClass, w.Header().Get("Allow"))
	}
}

func TestServerFaults(t *testing.T) {
	const cause = "dynamodb: ProvisionedThroughputExceeded on keyport-table"
	tests := []struct {
		name string
		err  error
	}{
		{"store fails", errors.New(cause)},
		{"task id collides", &store.Conflict{Action: 1, Claim: -1, Reason: store.Exists}},
		{"secret stale", &store.Conflict{Action: 0, Claim: -1, Reason: store.Stale}},
		{"store error carrying a client kind", fault.New(fault.NotFound, cause, "not found")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := gcoretest.Serve(operation.Deps{Store: testkit.FailingStore{Err: tt.err}, Creds: gcoretest.Book(t)}, Row)
			w := gcoretest.Do(h, "DELETE", "/cloud/v1/secrets/1/76/"+idP1R76, gcoretest.APIKey(gcoretest.TokenAll), "")
			gcoretest.CheckInternal(t, w)
			if strings.Contains(w.Body.String(), "dynamodb") {
				t.Fatalf("body %s echoes the cause", w.Body)
			}
		})
	}
}

// TestNilNowUsesClock: Deps without Now stamp the task with the wall clock.
func TestNilNowUsesClock(t *testing.T) {
	s := gcoretest.Store(t)
	seed(t, s)
	h := gcoretest.Serve(operation.Deps{Store: s, Creds: gcoretest.Book(t)}, Row)
	before := time.Now().Add(-time.Second)
	w := gcoretest.Do(h, "DELETE", "/cloud/v1/secrets/1/76/"+idP1R76, gcoretest.APIKey(gcoretest.TokenAll), "")
	rec, err := s.Get(context.Background(), gcoretask.Ref(taskOf(t, w.Body.Bytes())))
	if err != nil || rec.CreatedAt.Before(before) {
		t.Fatalf("task: got %v created %v, want one created about now", err, rec.CreatedAt)
	}
}
