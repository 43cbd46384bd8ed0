package alibabatest

import (
	"context"
	"testing"

	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/seal"
	"keyport/shared/store/boltstore"
)

// Env is a real embedded store and local-key sealer in a temporary directory, with the test
// book.
type Env struct {
	Store  *boltstore.Store
	Sealer *seal.Sealer
	Creds  *credentials.Book
}

// NewEnv opens a fresh Env for t, closed when t ends.
func NewEnv(t testing.TB) *Env {
	t.Helper()
	d := localdatatest.Open(t)
	return &Env{Store: d.Store, Sealer: d.Sealer, Creds: Book(t)}
}

// Count is the number of live records in the store (secrets, name records, spent nonces).
func (e *Env) Count(t testing.TB) int {
	t.Helper()
	n, err := e.Store.CountRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
