package alibabatest

import (
	"context"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/localdata"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/store/boltstore"
)

// Env is a real embedded store and local-key sealer in a temporary directory, with the test
// book: what the local server runs on. Its sealer's key wrapper counts KMS calls (KMS).
type Env struct {
	Store  *boltstore.Store
	Sealer *seal.Sealer
	KMS    *KMS
	Creds  *credentials.Book
}

// NewEnv opens a fresh Env for t, closed when t ends.
func NewEnv(t testing.TB) *Env {
	t.Helper()
	d := localdatatest.Open(t)
	key, err := localkey.Open(filepath.Join(d.Dir, localdata.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	kms := &KMS{inner: key}
	return &Env{Store: d.Store, Sealer: seal.New(kms), KMS: kms, Creds: Book(t)}
}

// Deps are the collaborators of an operation on e, on the clock now (nil: time.Now).
func (e *Env) Deps(now func() time.Time) operation.Deps {
	return operation.Deps{Store: e.Store, Sealer: e.Sealer, Creds: e.Creds, Now: now}
}

// Serve is row served on e as its function serves it (operation.Row.Serve: restricted to what
// the row declares) and wrapped as the servers wrap it (Logged).
func (e *Env) Serve(row operation.Row) http.Handler { return ServeOn(row, e.Deps(nil)) }

// ServeOn is Serve on other collaborators (a failing store, a fixed clock).
func ServeOn(row operation.Row, d operation.Deps) http.Handler { return Logged(row.Serve(d)) }

// Count is the number of live records in the store (secrets, name records, spent nonces).
func (e *Env) Count(t testing.TB) int {
	t.Helper()
	n, err := e.Store.CountRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// KMS is a key wrapper over a real local key that counts its calls, as AWS KMS bills them (one
// GenerateDataKey per seal, one Decrypt per open), so a test can prove a refused request never
// reached KMS. It fails every call with Err when Err is set.
type KMS struct {
	inner               seal.KeyWrapper
	Err                 error
	Generates, Decrypts atomic.Int64
}

// GenerateDataKey counts the call, then fails with Err or asks the local key.
func (k *KMS) GenerateDataKey(ctx context.Context, ec map[string]string) ([]byte, []byte, error) {
	k.Generates.Add(1)
	if k.Err != nil {
		return nil, nil, k.Err
	}
	return k.inner.GenerateDataKey(ctx, ec)
}

// Decrypt counts the call, then fails with Err or asks the local key.
func (k *KMS) Decrypt(ctx context.Context, wrapped []byte, ec map[string]string) ([]byte, error) {
	k.Decrypts.Add(1)
	if k.Err != nil {
		return nil, k.Err
	}
	return k.inner.Decrypt(ctx, wrapped, ec)
}
