package gcore_test

import (
	"maps"
	"reflect"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/store"
)

func TestTaskRecordRoundTrip(t *testing.T) {
	task := gcore.Task{
		ID:        "3f0e8a5e-8a1c-4b53-9d0e-6c1f2a3b4c5d",
		Type:      gcore.TaskTypeCreateSecret,
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
	got, err := gcore.TaskFromRecord(task.ID, rec)
	if err != nil || !reflect.DeepEqual(got, task) {
		t.Fatalf("got %+v, %v; want %+v", got, err, task)
	}
}

func TestTaskFromRecordRefusesDamage(t *testing.T) {
	base := gcore.Task{ID: "x", Type: "create_secret", Scope: gcore.Scope{Project: 1, Region: 1}, Created: time.Now()}.Record()
	for _, attr := range []string{"project_id", "region_id", "created_on", "task_type"} {
		t.Run(attr, func(t *testing.T) {
			rec := base
			rec.Attrs = maps.Clone(base.Attrs)
			rec.Attrs[attr] = "garbled"
			if attr == "task_type" {
				rec.Attrs[attr] = ""
			}
			if _, err := gcore.TaskFromRecord("x", rec); err == nil {
				t.Fatal("got nil error, want one")
			}
		})
	}
}

func TestSecretRef(t *testing.T) {
	got := gcore.SecretRef(gcore.Scope{Project: 1, Region: 76}, "u")
	if want := (store.Ref{Service: "gcore-cloud", Tenant: "1", Kind: "secret", ID: "76/u"}); got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestTaskWithSecretsRoundTrip checks that several secret ids stay a list, commas and all.
func TestTaskWithSecretsRoundTrip(t *testing.T) {
	task := gcore.Task{ID: "x", Type: "create_secret", Scope: gcore.Scope{Project: 1, Region: 2}, Created: time.Unix(0, 0).UTC(),
		Secrets: []string{"a,b", "c"}}
	got, err := gcore.TaskFromRecord("x", task.Record())
	if err != nil || !reflect.DeepEqual(got, task) {
		t.Fatalf("got %+v, %v; want %+v", got, err, task)
	}
}
