package gettask

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
	"keyport/shared/testkit"
)

const (
	taskP1    = "0b5c2f5e-7d3a-4c1e-9f10-2a3b4c5d6e7f" // project 1, region 76
	taskP3R7  = "1c6d3a6f-8e4b-4d2f-a021-3b4c5d6e7f80" // project 3, region 7
	taskP9    = "2d7e4b70-9f5c-4e30-b132-4c5d6e7f8091" // project 9: no token reaches it
	secretP1  = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
	unknownID = "3e8f5c81-a06d-4f41-8243-5d6e7f8091a2"
)

var created = time.Date(2030, 1, 2, 3, 4, 5, 678000000, time.UTC)

func seed(t *testing.T) (*boltstore.Store, http.Handler) {
	t.Helper()
	s := gcoretest.Store(t)
	var recs []store.Record
	for id, scope := range map[string]gcore.Scope{taskP1: {Project: 1, Region: 76}, taskP3R7: {Project: 3, Region: 7}, taskP9: {Project: 9, Region: 1}} {
		recs = append(recs, gcoretask.Task{ID: id, Type: gcoretask.TypeCreateSecret, Scope: scope,
			RequestID: "4f90a6d2-b17e-4a52-9354-6e7f8091a2b3", Created: created, Secrets: []string{secretP1}}.Record())
	}
	var tx store.Tx
	for _, r := range recs {
		tx = append(tx, store.Action{Put: &store.Put{Record: r}})
	}
	if err := s.Apply(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	return s, gcoretest.Serve(operation.Deps{Store: s, Creds: gcoretest.Book(t)}, Row)
}

func TestRefusals(t *testing.T) {
	_, h := seed(t)
	tests := []struct {
		name       string
		header     http.Header
		id         string
		wantStatus int
		wantClass  string
		wantMsg    string
	}{
		{"no Authorization", nil, taskP1, 401, "NotAuthenticated", "Authentication credentials were not provided."},
		{"Bearer scheme", gcoretest.Header("Authorization", "Bearer "+gcoretest.TokenAll), taskP1, 401, "AuthenticationFailed", "Invalid token header"},
		{"wrong token", gcoretest.APIKey("nope"), taskP1, 401, "AuthenticationFailed", "Bad permanent token."},
		{"unknown id", gcoretest.APIKey(gcoretest.TokenAll), unknownID, 404, "NotFoundError", "Task " + unknownID + " could not be found"},
		{"another project's task", gcoretest.APIKey(gcoretest.TokenAll), taskP9, 404, "NotFoundError", "Task " + taskP9 + " could not be found"},
		{"project granted, region not", gcoretest.APIKey(gcoretest.TokenRegion7), taskP1, 404, "NotFoundError", "Task " + taskP1 + " could not be found"},
		{"malformed id", gcoretest.APIKey(gcoretest.TokenAll), "not-a-uuid", 404, "NotFoundError", "Task could not be found"},
		{"id without hyphens", gcoretest.APIKey(gcoretest.TokenAll), strings.ReplaceAll(taskP1, "-", ""), 404, "NotFoundError", "Task could not be found"},
		{"id in braces", gcoretest.APIKey(gcoretest.TokenAll), "{" + taskP1 + "}", 404, "NotFoundError", "Task could not be found"},
		{"urn id", gcoretest.APIKey(gcoretest.TokenAll), "urn:uuid:" + taskP1, 404, "NotFoundError", "Task could not be found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(h, "GET", "/cloud/v1/tasks/"+tt.id, tt.header, "")
			got := gcoretest.DecodeError(t, w.Body.Bytes())
			if w.Code != tt.wantStatus || got.ExceptionClass != tt.wantClass || !strings.Contains(got.Message, tt.wantMsg) {
				t.Fatalf("got %d %s %q, want %d %s %q", w.Code, got.ExceptionClass, got.Message, tt.wantStatus, tt.wantClass, tt.wantMsg)
			}
		})
	}
}

// TestOtherProjectLooksUnknown: a task of another project is answered exactly as a task that
// does not exist (only the id in the message differs, and it is the caller's own).
func TestOtherProjectLooksUnknown(t *testing.T) {
	_, h := seed(t)
	other := gcoretest.Do(h, "GET", "/cloud/v1/tasks/"+taskP9, gcoretest.APIKey(gcoretest.TokenAll), "")
	unknown := gcoretest.Do(h, "GET", "/cloud/v1/tasks/"+unknownID, gcoretest.APIKey(gcoretest.TokenAll), "")
	a := strings.ReplaceAll(string(gcoretest.Normalize(t, other.Body.Bytes())), taskP9, "")
	b := strings.ReplaceAll(string(gcoretest.Normalize(t, unknown.Body.Bytes())), unknownID, "")
	if other.Code != unknown.Code || a != b {
		t.Fatalf("other project: %d %s\nunknown: %d %s", other.Code, a, unknown.Code, b)
	}
}

func TestGet(t *testing.T) {
	_, h := seed(t)
	tests := []struct {
		name, scheme, token, id string
		wantProject, wantRegion int64
	}{
		{"SDK scheme", "APIKey", gcoretest.TokenAll, taskP1, 1, 76},
		{"docs scheme", "apikey", gcoretest.TokenAll, taskP1, 1, 76},
		{"upper-case scheme", "APIKEY", gcoretest.TokenAll, taskP1, 1, 76},
		{"upper-case id", "APIKey", gcoretest.TokenAll, strings.ToUpper(taskP1), 1, 76},
		{"region-limited token", "APIKey", gcoretest.TokenRegion7, taskP3R7, 3, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(h, "GET", "/cloud/v1/tasks/"+tt.id, gcoretest.Header("Authorization", tt.scheme+" "+tt.token), "")
			if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("got %d %q %s, want 200 application/json", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			var got map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got["id"] != strings.ToLower(tt.id) || got["state"] != "FINISHED" || got["task_type"] != "create_secret" ||
				got["project_id"] != float64(tt.wantProject) || got["region_id"] != float64(tt.wantRegion) || got["user_id"] != float64(0) {
				t.Errorf("task: got %v", got)
			}
			// GC-labs parses created_on with exactly this layout.
			if _, err := time.Parse("2006-01-02T15:04:05", got["created_on"].(string)); err != nil {
				t.Errorf("created_on %v: %v", got["created_on"], err)
			}
			if tt.name == "SDK scheme" {
				gcoretest.Golden(t, "task", w.Body.Bytes())
			}
		})
	}
}

func TestBadMethodWhenMountedAlone(t *testing.T) {
	s, _ := seed(t)
	w := gcoretest.Do(Row.Serve(operation.Deps{Store: s, Creds: gcoretest.Book(t)}), "DELETE", "/cloud/v1/tasks/"+taskP1, gcoretest.APIKey(gcoretest.TokenAll), "")
	gcoretest.CheckBadMethod(t, w, "")
}

func TestServerFaults(t *testing.T) {
	tests := []struct {
		name  string
		store gcoretest.BrokenGetter
	}{
		{"store fails", gcoretest.BrokenGetter{Err: testkit.ErrInjected}},
		{"unreadable record", gcoretest.BrokenGetter{Rec: store.Record{Ref: gcoretask.Ref("k"), Attrs: store.Attrs{"project_id": "x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := gcoretest.Serve(operation.Deps{Store: tt.store, Creds: gcoretest.Book(t)}, Row)
			w := gcoretest.Do(h, "GET", "/cloud/v1/tasks/"+taskP1, gcoretest.APIKey(gcoretest.TokenAll), "")
			if got := gcoretest.CheckInternal(t, w); strings.Contains(got.Message, "10.0.0.1") {
				t.Errorf("message %q echoes the cause", got.Message)
			}
		})
	}
}

// TestStoreTimeout: a store read that ran out of time is the server's 503 (the outcome of a
// read is simply unknown), never a 500 or a client status.
func TestStoreTimeout(t *testing.T) {
	h := gcoretest.Serve(operation.Deps{Store: gcoretest.BrokenGetter{Err: context.DeadlineExceeded}, Creds: gcoretest.Book(t)}, Row)
	w := gcoretest.Do(h, "GET", "/cloud/v1/tasks/"+taskP1, gcoretest.APIKey(gcoretest.TokenAll), "")
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 503 || got.ExceptionClass != "ServiceUnavailable" {
		t.Fatalf("got %d %s, want 503 ServiceUnavailable", w.Code, got.ExceptionClass)
	}
}
