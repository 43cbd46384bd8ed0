package gcore_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/store"
)

func TestSecretRecordRoundTrip(t *testing.T) {
	scope := gcore.Scope{Project: 5, Region: 76}
	tests := []gcore.Secret{
		{ID: "u1", Name: "n", SecretType: "opaque", PayloadContentType: "text/plain", Created: time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)},
		{ID: "u2", Name: "AES key", SecretType: "symmetric", PayloadContentType: "application/octet-stream", Algorithm: "aes", Mode: "cbc",
			BitLength: 256, Created: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Expiration: time.Date(2031, 1, 1, 0, 0, 0, 180394000, time.UTC)},
	}
	for _, s := range tests {
		t.Run(s.ID, func(t *testing.T) {
			rec := s.Record(scope)
			if rec.Ref != gcore.SecretRef(scope, s.ID) || !rec.ExpiresAt.Equal(s.Expiration) || rec.Sealed != nil {
				t.Fatalf("record: got ref %v expires %v", rec.Ref, rec.ExpiresAt)
			}
			if err := store.CheckAttrs(rec.Attrs); err != nil {
				t.Fatal(err)
			}
			for _, absent := range []string{"algorithm", "mode", "bit_length", "expiration"} {
				if _, ok := rec.Attrs[absent]; ok != (s.ID == "u2") {
					t.Errorf("attr %s present: %v", absent, ok)
				}
			}
			got, err := gcore.SecretFromRecord(s.ID, rec)
			if err != nil || !reflect.DeepEqual(got, s) {
				t.Fatalf("got %+v, %v; want %+v", got, err, s)
			}
		})
	}
}

func TestSecretFromRecordRefusesDamage(t *testing.T) {
	base := gcore.Secret{ID: "x", Name: "n", SecretType: "opaque", Created: time.Now(), Expiration: time.Now().Add(time.Hour)}.Record(gcore.Scope{Project: 1, Region: 1})
	for attr, v := range map[string]any{"created": "yesterday", "name": "", "secret_type": "", "expiration": "soon"} {
		t.Run(attr, func(t *testing.T) {
			rec := base
			rec.Attrs = maps.Clone(base.Attrs)
			rec.Attrs[attr] = v
			if _, err := gcore.SecretFromRecord("x", rec); err == nil {
				t.Fatal("got nil error, want one")
			}
		})
	}
}

func TestSecretJSON(t *testing.T) {
	tests := []struct {
		name string
		s    gcore.Secret
		want string
	}{
		{"optional fields null", gcore.Secret{ID: "u", Name: "n", SecretType: "opaque", PayloadContentType: "text/plain",
			Created: time.Date(2030, 1, 2, 3, 4, 5, 999999999, time.UTC)},
			`{"id":"u","name":"n","secret_type":"opaque","status":"ACTIVE","algorithm":null,"bit_length":null,"mode":null,"content_types":{"default":"text/plain"},"created":"2030-01-02T03:04:05+00:00","expiration":null}`},
		{"every field, a non-UTC time rendered in UTC", gcore.Secret{ID: "u", Name: "n", SecretType: "symmetric", PayloadContentType: "application/octet-stream",
			Algorithm: "aes", Mode: "cbc", BitLength: 256, Created: time.Date(2030, 1, 2, 5, 4, 5, 0, time.FixedZone("", 7200)),
			Expiration: time.Date(2031, 1, 1, 0, 0, 0, 5, time.UTC)},
			`{"id":"u","name":"n","secret_type":"symmetric","status":"ACTIVE","algorithm":"aes","bit_length":256,"mode":"cbc","content_types":{"default":"application/octet-stream"},"created":"2030-01-02T03:04:05+00:00","expiration":"2031-01-01T00:00:00+00:00"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := json.Marshal(tt.s.JSON())
			if string(got) != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestTaskJSON(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC)
	create := gcore.Task{ID: "t", Type: "create_secret", Scope: gcore.Scope{Project: 1, Region: 2}, Created: at, Secrets: []string{"s"}}.JSON()
	del := gcore.Task{ID: "t", Type: "delete_secret", Scope: gcore.Scope{Project: 1, Region: 2}, Created: at, Deleted: "s"}.JSON()
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

func TestTaskRecordsAreTwoCopies(t *testing.T) {
	task := gcore.Task{ID: "t", Type: "delete_secret", Scope: gcore.Scope{Project: 7, Region: 2}, Created: time.Unix(0, 0).UTC(), Deleted: "s"}
	recs := task.Records()
	if len(recs) != 2 || recs[0].Ref != gcore.TaskRef("t") || recs[1].Ref != gcore.ProjectTaskRef(7, "t") ||
		recs[1].Ref != (store.Ref{Service: "gcore-cloud", Tenant: "7", Kind: "task", ID: "t"}) {
		t.Fatalf("got %v", recs)
	}
	for _, r := range recs {
		got, err := gcore.TaskFromRecord("t", r)
		if err != nil || !reflect.DeepEqual(got, task) {
			t.Errorf("%v: got %+v, %v", r.Ref, got, err)
		}
	}
	if puts := task.Puts(); len(puts) != 2 || puts[1].Put.Record.Ref != recs[1].Ref || puts[0].Put.IfVersion != 0 {
		t.Errorf("Puts: got %v", puts)
	}
}
