package gcoretask_test

import (
	"maps"
	"reflect"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/store"
)

func TestRecordRoundTrip(t *testing.T) {
	task := gcoretask.Task{
		ID:        "3f0e8a5e-8a1c-4b53-9d0e-6c1f2a3b4c5d",
		Type:      gcoretask.TypeCreateSecret,
		Scope:     gcore.Scope{Project: 5, Region: 76},
		RequestID: "r-1",
		Created:   time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC),
		Secrets:   []string{"a8c1b3f4-0000-4000-8000-000000000001"},
	}
	rec := task.Record()
	if want := (store.Ref{Service: "gcore-cloud", Kind: "task", ID: task.ID}); rec.Ref != want {
		t.Fatalf("got ref %v, want %v", rec.Ref, want)
	}
	if l := rec.Attrs["created_resources.secrets"]; !reflect.DeepEqual(l, task.Secrets) {
		t.Errorf("secrets attribute: got %#v, want the list %#v", l, task.Secrets)
	}
	if !rec.ExpiresAt.IsZero() || rec.Sealed != nil {
		t.Errorf("task record: got ExpiresAt %v, Sealed %v; want zero, nil", rec.ExpiresAt, rec.Sealed)
	}
	got, err := gcoretask.FromRecord(rec)
	if err != nil || !reflect.DeepEqual(got, task) {
		t.Fatalf("got %+v, %v; want %+v", got, err, task)
	}
}

func TestFromRecordRefusesDamage(t *testing.T) {
	base := gcoretask.Task{ID: "x", Type: "create_secret", Scope: gcore.Scope{Project: 1, Region: 1}, Created: time.Now()}.Record()
	for _, attr := range []string{"project_id", "region_id", "created_on", "task_type"} {
		t.Run(attr, func(t *testing.T) {
			rec := base
			rec.Attrs = maps.Clone(base.Attrs)
			rec.Attrs[attr] = "garbled"
			if attr == "task_type" {
				rec.Attrs[attr] = ""
			}
			if _, err := gcoretask.FromRecord(rec); err == nil {
				t.Fatal("got nil error, want one")
			}
		})
	}
}

// TestWithSecretsRoundTrip checks that several secret ids stay a list, commas and all.
func TestWithSecretsRoundTrip(t *testing.T) {
	task := gcoretask.Task{ID: "x", Type: "create_secret", Scope: gcore.Scope{Project: 1, Region: 2}, Created: time.Unix(0, 0).UTC(),
		Secrets: []string{"a,b", "c"}}
	got, err := gcoretask.FromRecord(task.Record())
	if err != nil || !reflect.DeepEqual(got, task) {
		t.Fatalf("got %+v, %v; want %+v", got, err, task)
	}
}

func TestJSON(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC)
	create := gcoretask.Task{ID: "t", Type: "create_secret", Scope: gcore.Scope{Project: 1, Region: 2}, Created: at, Secrets: []string{"s"}}.JSON()
	del := gcoretask.Task{ID: "t", Type: "delete_secret", Scope: gcore.Scope{Project: 1, Region: 2}, Created: at, Deleted: "s"}.JSON()
	if !reflect.DeepEqual(create.CreatedResources, map[string][]string{"secrets": {"s"}}) || create.Data != nil || create.RequestID != nil {
		t.Errorf("create task: got %+v", create)
	}
	if len(del.CreatedResources) != 0 || del.CreatedResources == nil || !reflect.DeepEqual(del.Data, map[string]string{"secret_id": "s"}) {
		t.Errorf("delete task: got resources %v data %v", del.CreatedResources, del.Data)
	}
	if create.CreatedOn != "2030-01-02T03:04:05" || *create.FinishedOn != create.CreatedOn || create.State != "FINISHED" {
		t.Errorf("times: got %+v", create)
	}
}

func TestRecordsAreTwoCopies(t *testing.T) {
	task := gcoretask.Task{ID: "t", Type: "delete_secret", Scope: gcore.Scope{Project: 7, Region: 2}, Created: time.Unix(0, 0).UTC(), Deleted: "s"}
	recs := task.Records()
	if len(recs) != 2 || recs[0].Ref != gcoretask.Ref("t") || recs[1].Ref != gcoretask.ProjectRef(7, "t") ||
		recs[1].Ref != (store.Ref{Service: "gcore-cloud", Tenant: "7", Kind: "task", ID: "t"}) {
		t.Fatalf("got %v", recs)
	}
	for _, r := range recs {
		got, err := gcoretask.FromRecord(r)
		if err != nil || !reflect.DeepEqual(got, task) {
			t.Errorf("%v: got %+v, %v", r.Ref, got, err)
		}
	}
	if puts := task.Puts(); len(puts) != 2 || puts[1].Put.Record.Ref != recs[1].Ref || puts[0].Put.IfVersion != 0 {
		t.Errorf("Puts: got %v", puts)
	}
}
