package listtasks

import (
	"context"
	"encoding/json"
	"fmt"
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
)

var base = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// seeded are the test tasks, by name: the i-th is created i minutes (and 500 ms) after base,
// and its id runs against creation order, so a list sorted by id instead of age would fail.
var seeded = []struct {
	name  string
	typ   string
	scope gcore.Scope
}{
	{"c1", gcoretask.TypeCreateSecret, gcore.Scope{Project: 1, Region: 76}},
	{"c2", gcoretask.TypeCreateSecret, gcore.Scope{Project: 1, Region: 77}},
	{"d1", gcoretask.TypeDeleteSecret, gcore.Scope{Project: 1, Region: 76}},
	{"c3", gcoretask.TypeCreateSecret, gcore.Scope{Project: 2, Region: 76}},
	{"c4", gcoretask.TypeCreateSecret, gcore.Scope{Project: 3, Region: 7}},
	{"c5", gcoretask.TypeCreateSecret, gcore.Scope{Project: 3, Region: 8}}, // TokenRegion7 reaches project 3 in region 7 only
	{"c6", gcoretask.TypeCreateSecret, gcore.Scope{Project: 9, Region: 1}}, // no test token reaches project 9
}

func taskID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", 999-i) }

// createdAt is the i-th seeded task's creation time.
func createdAt(i int) time.Time {
	return base.Add(time.Duration(i)*time.Minute + 500*time.Millisecond)
}

type env struct {
	store *boltstore.Store
	h     http.Handler
	names map[string]string // task id -> seeded name
}

func newEnv(t testing.TB) env {
	t.Helper()
	s := gcoretest.Store(t)
	e := env{store: s, h: gcoretest.Serve(operation.Deps{Store: s, Creds: gcoretest.Book(t)}, Row), names: map[string]string{}}
	var tx store.Tx
	for i, sd := range seeded {
		task := gcoretask.Task{ID: taskID(i), Type: sd.typ, Scope: sd.scope, RequestID: "r", Created: createdAt(i)}
		if sd.typ == gcoretask.TypeCreateSecret {
			task.Secrets = []string{"secret-of-" + sd.name}
		} else {
			task.Deleted = "secret-of-c1"
		}
		tx = append(tx, task.Puts()...)
		e.names[task.ID] = sd.name
	}
	if err := s.Apply(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	return e
}

// listed is a task list body as GC-go's OffsetPage[Task] reads it.
type listed struct {
	Count   int `json:"count"`
	Results []struct {
		ID        string `json:"id"`
		TaskType  string `json:"task_type"`
		State     string `json:"state"`
		CreatedOn string `json:"created_on"`
		ProjectID int64  `json:"project_id"`
		RegionID  int64  `json:"region_id"`
	} `json:"results"`
}

func (e env) list(t *testing.T, token, target string) (listed, string) {
	t.Helper()
	w := gcoretest.Do(e.h, "GET", target, gcoretest.APIKey(token), "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: got %d %q %s, want 200 application/json", target, w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var l listed
	if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil || l.Results == nil {
		t.Fatalf("body %s: %v (results must be a list)", w.Body, err)
	}
	var names []string
	for _, r := range l.Results {
		names = append(names, e.names[r.ID])
	}
	return l, strings.Join(names, " ")
}
