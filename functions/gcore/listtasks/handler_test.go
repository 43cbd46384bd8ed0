package listtasks

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/store"
)

func TestList(t *testing.T) {
	e := newEnv(t)
	all := gcoretest.TokenAll
	// GC-go's apiquery writes a date-time as RFC 3339 and escapes it with url.Values.Encode.
	from := url.Values{"from_timestamp": {createdAt(1).Truncate(1e9).Format("2006-01-02T15:04:05Z07:00")}}.Encode()
	tests := []struct {
		name, token, query string
		wantCount          int
		wantNames          string
	}{
		{"the key's projects, oldest first", all, "", 4, "c1 c2 d1 c3"},
		{"region-limited token", gcoretest.TokenRegion7, "", 1, "c4"},
		{"one project", all, "project_id=1", 3, "c1 c2 d1"},
		{"repeated project_id", all, "project_id=2&project_id=1", 4, "c1 c2 d1 c3"},
		{"a project the key does not reach", all, "project_id=9", 0, ""},
		{"reached and unreached projects", all, "project_id=9&project_id=2", 1, "c3"},
		{"region", all, "region_id=77", 1, "c2"},
		{"repeated region_id", all, "region_id=77&region_id=76", 4, "c1 c2 d1 c3"},
		{"region the token does not reach", gcoretest.TokenRegion7, "region_id=8", 0, ""},
		{"task type", all, "task_type=delete_secret", 1, "d1"},
		{"unknown task type", all, "task_type=create_vm", 0, ""},
		{"state FINISHED", all, "state=FINISHED", 4, "c1 c2 d1 c3"},
		{"state RUNNING", all, "state=RUNNING", 0, ""},
		{"repeated state", all, "state=ERROR&state=FINISHED", 4, "c1 c2 d1 c3"},
		{"not acknowledged", all, "is_acknowledged=false", 4, "c1 c2 d1 c3"},
		{"acknowledged", all, "is_acknowledged=True", 0, ""},
		{"newest first", all, "order_by=desc", 4, "c3 d1 c2 c1"},
		{"deprecated sorting", all, "sorting=desc", 4, "c3 d1 c2 c1"},
		{"order_by wins over sorting", all, "order_by=asc&sorting=desc", 4, "c1 c2 d1 c3"},
		{"limit and offset", all, "limit=2&offset=1", 4, "c2 d1"},
		{"offset past the end", all, "offset=4", 4, ""},
		{"huge offset", all, "offset=9223372036854775807", 4, ""},
		{"huge offset and the largest limit", all, "limit=1000&offset=9223372036854775806&order_by=desc", 4, ""},
		{"the largest limit from the last task", all, "limit=1000&offset=3", 4, "c3"},
		{"limit and offset, newest first", all, "limit=2&offset=1&order_by=desc", 4, "d1 c2"},
		{"from, as GC-go sends it", all, from, 3, "c2 d1 c3"},
		{"from at created_on includes the task", all, "from_timestamp=2030-01-02T03:05:05", 3, "c2 d1 c3"},
		{"to at created_on includes the task", all, "to_timestamp=2030-01-02T03:05:05%2B00:00", 2, "c1 c2"},
		{"to with an unescaped plus", all, "to_timestamp=2030-01-02T04:05:05+01:00", 2, "c1 c2"},
		{"from and to", all, "from_timestamp=2030-01-02T03:05:00Z&to_timestamp=2030-01-02T03:06:30Z", 2, "c2 d1"},
		{"every filter at once", all, "project_id=1&region_id=76&state=FINISHED&task_type=create_secret&is_acknowledged=false&order_by=desc&limit=1000&offset=0", 1, "c1"},
		{"unknown parameter ignored", all, "include=x", 4, "c1 c2 d1 c3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, names := e.list(t, tt.token, "/cloud/v1/tasks?"+tt.query)
			if l.Count != tt.wantCount || names != tt.wantNames {
				t.Fatalf("got count %d [%s], want count %d [%s]", l.Count, names, tt.wantCount, tt.wantNames)
			}
			for _, r := range l.Results {
				if r.State != "FINISHED" || r.ProjectID == 9 {
					t.Errorf("result %+v", r)
				}
			}
		})
	}
}

// TestDefaultLimit: ten tasks a page unless limit says otherwise.
func TestDefaultLimit(t *testing.T) {
	e := newEnv(t)
	var tx store.Tx
	for i := range 12 {
		tx = append(tx, gcoretask.Task{ID: taskID(100 + i), Type: gcoretask.TypeCreateSecret, Scope: gcore.Scope{Project: 2, Region: 1}, Created: createdAt(100 + i)}.Puts()...)
	}
	if err := e.store.Apply(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	if l, _ := e.list(t, gcoretest.TokenAll, "/cloud/v1/tasks"); l.Count != 16 || len(l.Results) != 10 {
		t.Fatalf("got count %d and %d results, want 16 and 10", l.Count, len(l.Results))
	}
}

func TestGoldenList(t *testing.T) {
	e := newEnv(t)
	w := gcoretest.Do(e.h, "GET", "/cloud/v1/tasks?project_id=1&region_id=76", gcoretest.APIKey(gcoretest.TokenAll), "")
	if w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	gcoretest.Golden(t, "list", w.Body.Bytes())
}

func TestRefusals(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name       string
		header     http.Header
		query      string
		wantStatus int
		wantClass  string
		wantFields []string
		wantMsg    string
	}{
		{"no Authorization", nil, "", 401, "NotAuthenticated", nil, "Authentication credentials were not provided."},
		{"wrong token", gcoretest.APIKey("nope"), "", 401, "AuthenticationFailed", nil, "Bad permanent token."},
		{"limit zero", gcoretest.APIKey(gcoretest.TokenAll), "limit=0", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"limit over 1000", gcoretest.APIKey(gcoretest.TokenAll), "limit=1001", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"offset negative", gcoretest.APIKey(gcoretest.TokenAll), "offset=-1", 400, "ValidationError", []string{"offset"}, "from 0 to"},
		{"project_id not a number", gcoretest.APIKey(gcoretest.TokenAll), "project_id=one", 400, "ValidationError", []string{"project_id"}, "positive integer"},
		{"region_id zero", gcoretest.APIKey(gcoretest.TokenAll), "region_id=0", 400, "ValidationError", []string{"region_id"}, "positive integer"},
		{"state unknown", gcoretest.APIKey(gcoretest.TokenAll), "state=DONE", 400, "ValidationError", []string{"state"}, "state"},
		{"state lower case", gcoretest.APIKey(gcoretest.TokenAll), "state=finished", 400, "ValidationError", []string{"state"}, "state"},
		{"task_type empty", gcoretest.APIKey(gcoretest.TokenAll), "task_type=", 400, "ValidationError", []string{"task_type"}, "task_type"},
		{"task_type twice", gcoretest.APIKey(gcoretest.TokenAll), "task_type=a&task_type=b", 400, "ValidationError", []string{"task_type"}, "must be given once"},
		{"order_by unknown", gcoretest.APIKey(gcoretest.TokenAll), "order_by=newest", 400, "ValidationError", []string{"order_by"}, "order_by"},
		{"sorting unknown", gcoretest.APIKey(gcoretest.TokenAll), "sorting=DESC", 400, "ValidationError", []string{"sorting"}, "sorting"},
		{"from_timestamp not a time", gcoretest.APIKey(gcoretest.TokenAll), "from_timestamp=yesterday", 400, "ValidationError", []string{"from_timestamp"}, "ISO-8601"},
		{"to_timestamp not a time", gcoretest.APIKey(gcoretest.TokenAll), "to_timestamp=2030-13-01T00:00:00", 400, "ValidationError", []string{"to_timestamp"}, "ISO-8601"},
		{"is_acknowledged not a bool", gcoretest.APIKey(gcoretest.TokenAll), "is_acknowledged=maybe", 400, "ValidationError", []string{"is_acknowledged"}, "true or false"},
		{"bad escape", gcoretest.APIKey(gcoretest.TokenAll), "state=%zz", 400, "ValidationError", []string{"state"}, "URL encoding"},
		{"several at once", gcoretest.APIKey(gcoretest.TokenAll), "limit=0&project_id=x&state=NOPE&order_by=up", 400, "ValidationError",
			[]string{"limit", "project_id", "state", "order_by"}, "Validation Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(e.h, "GET", "/cloud/v1/tasks?"+tt.query, tt.header, "")
			gcoretest.CheckRefusal(t, w, tt.wantStatus, tt.wantClass, tt.wantFields, tt.wantMsg)
			if tt.name == "several at once" {
				gcoretest.Golden(t, "error-several", w.Body.Bytes())
			}
		})
	}
}

func TestBadMethodWhenMountedAlone(t *testing.T) {
	e := newEnv(t)
	h := Row.Serve(operation.Deps{Store: e.store, Creds: gcoretest.Book(t)})
	w := gcoretest.Do(h, "POST", "/cloud/v1/tasks", gcoretest.APIKey(gcoretest.TokenAll), "")
	gcoretest.CheckBadMethod(t, w, "GET")
}

func TestServerFaults(t *testing.T) {
	tests := []struct {
		name  string
		store gcoretest.BrokenLister
	}{
		{"store fails", gcoretest.BrokenLister{Err: errors.New("dynamodb: throttled")}},
		{"unreadable record", gcoretest.BrokenLister{Page: store.Page{Records: []store.Record{{Ref: gcoretask.ProjectRef(1, "x"), Attrs: store.Attrs{"project_id": "x"}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := gcoretest.Serve(operation.Deps{Store: tt.store, Creds: gcoretest.Book(t)}, Row)
			w := gcoretest.Do(h, "GET", "/cloud/v1/tasks", gcoretest.APIKey(gcoretest.TokenAll), "")
			if got := gcoretest.CheckInternal(t, w); strings.Contains(got.Message, "dynamodb") {
				t.Fatalf("message %q echoes the cause", got.Message)
			}
		})
	}
}
