package getsecret

import (
	"context"
	"net/http"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
)

// Secrets the tests seed. Their ids are fixed so golden files and messages are stable.
const (
	idP1R76   = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d" // project 1, region 76, every field
	idP1R76b  = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e" // project 1, region 76, required fields only
	idP2R76   = "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f" // project 2, region 76
	idP3R7    = "d4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f80" // project 3, region 7
	unknownID = "e5f6a7b8-c9d0-4e1f-8a3b-4c5d6e7f8091"
)

var created = time.Date(2030, 1, 2, 3, 4, 5, 678000000, time.UTC)

var full = gcoresecret.Secret{ID: idP1R76, Name: "AES key", SecretType: "symmetric", PayloadContentType: "application/octet-stream",
	Algorithm: "aes", Mode: "cbc", BitLength: 256, Created: created, Expiration: time.Date(2099, 12, 28, 19, 14, 44, 180394000, time.UTC)}

func seed(t testing.TB) (*boltstore.Store, http.Handler) {
	t.Helper()
	s := gcoretest.Store(t)
	minimal := gcoresecret.Secret{ID: idP1R76b, Name: "n", SecretType: "opaque", PayloadContentType: "text/plain", Created: created}
	put(t, s,
		full.Record(gcore.Scope{Project: 1, Region: 76}),
		minimal.Record(gcore.Scope{Project: 1, Region: 76}),
		gcoresecret.Secret{ID: idP2R76, Name: "p2", SecretType: "opaque", PayloadContentType: "text/plain", Created: created}.Record(gcore.Scope{Project: 2, Region: 76}),
		gcoresecret.Secret{ID: idP3R7, Name: "p3", SecretType: "opaque", PayloadContentType: "text/plain", Created: created}.Record(gcore.Scope{Project: 3, Region: 7}),
	)
	return s, gcoretest.Serve(operation.Deps{Store: s, Creds: gcoretest.Book(t)}, Row)
}

func put(t testing.TB, s store.Store, recs ...store.Record) {
	t.Helper()
	var tx store.Tx
	for _, r := range recs {
		tx = append(tx, store.Action{Put: &store.Put{Record: r}})
	}
	if err := s.Apply(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
}
