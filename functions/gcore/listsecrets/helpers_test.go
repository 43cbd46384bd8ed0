package listsecrets

import (
	"context"
	"fmt"
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

var base = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// secretID is the i-th test secret's id. Ids run against creation order (the first secret has
// the largest id), so a list that sorted by id instead of age would fail.
func secretID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", 999999-i) }

// secretAt is the i-th test secret of scope, created i seconds after base.
func secretAt(i int) gcoresecret.Secret {
	return gcoresecret.Secret{ID: secretID(i), Name: fmt.Sprintf("s%d", i), SecretType: "opaque",
		PayloadContentType: "text/plain", Created: base.Add(time.Duration(i) * time.Second)}
}

type env struct {
	store *boltstore.Store
	h     http.Handler
}

func newEnv(t testing.TB) env {
	t.Helper()
	s := gcoretest.Store(t)
	return env{store: s, h: gcoretest.Serve(operation.Deps{Store: s, Creds: gcoretest.Book(t)}, Row)}
}

// seed writes n secrets (0..n-1) into scope, a hundred to a transaction.
func (e env) seed(t testing.TB, scope gcore.Scope, first, n int) {
	t.Helper()
	var tx store.Tx
	flush := func() {
		if err := e.store.Apply(context.Background(), tx); err != nil {
			t.Fatal(err)
		}
		tx = nil
	}
	for i := first; i < first+n; i++ {
		r := secretAt(i).Record(scope)
		tx = append(tx, store.Action{Put: &store.Put{Record: r}})
		if len(tx) == 100 {
			flush()
		}
	}
	if len(tx) > 0 {
		flush()
	}
}

// listed is a list body as GC-go's OffsetPage reads it.
type listed struct {
	Count   int `json:"count"`
	Results []struct {
		ID         string  `json:"id"`
		Name       string  `json:"name"`
		Created    string  `json:"created"`
		Expiration *string `json:"expiration"`
	} `json:"results"`
}
