package deletesecret

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"keyport/functions/gcore/getsecret"
	"keyport/functions/gcore/gettask"
	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/store/storetest"
)

// Secrets the tests seed.
const (
	idP1R76   = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d" // project 1, region 76
	idP1R76b  = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e" // project 1, region 76
	idP2R76   = "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f" // project 2, region 76
	idP3R7    = "d4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f80" // project 3, region 7
	unknownID = "e5f6a7b8-c9d0-4e1f-8a3b-4c5d6e7f8091"
)

// fixedNow is the delete's clock.
var fixedNow = time.Date(2030, 1, 2, 3, 4, 5, 678000000, time.UTC)

type env struct {
	store storetest.Store
	h     http.Handler // delete, get secret and get task, as the local server mounts them
}

func newEnv(t testing.TB, s storetest.Store) env {
	t.Helper()
	seed(t, s)
	d := operation.Deps{Store: s, Creds: gcoretest.Book(t), Now: func() time.Time { return fixedNow }}
	return env{store: s, h: gcoretest.Serve(d, Row, getsecret.Row, gettask.Row)}
}

func seed(t testing.TB, s store.Store) {
	t.Helper()
	secret := func(id string) gcoresecret.Secret {
		return gcoresecret.Secret{ID: id, Name: "n", SecretType: "opaque", PayloadContentType: "text/plain", Created: fixedNow.Add(-time.Hour)}
	}
	tx := store.Tx{}
	for id, scope := range map[string]gcore.Scope{idP1R76: {Project: 1, Region: 76}, idP1R76b: {Project: 1, Region: 76},
		idP2R76: {Project: 2, Region: 76}, idP3R7: {Project: 3, Region: 7}} {
		rec := secret(id).Record(scope)
		rec.Sealed = []byte("sealed blob stand-in")
		tx = append(tx, store.Action{Put: &store.Put{Record: rec}})
	}
	if err := s.Apply(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
}

func count(t testing.TB, s storetest.Store) int {
	t.Helper()
	n, err := s.CountRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// taskOf reads a delete answer's one task id.
func taskOf(t testing.TB, body []byte) string {
	t.Helper()
	var resp struct {
		Tasks []string `json:"tasks"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || len(resp.Tasks) != 1 {
		t.Fatalf("response %s: want {\"tasks\":[one id]} (%v)", body, err)
	}
	if _, ok := gcore.CanonicalID(resp.Tasks[0]); !ok {
		t.Fatalf("task id %q is not a UUID", resp.Tasks[0])
	}
	return resp.Tasks[0]
}
