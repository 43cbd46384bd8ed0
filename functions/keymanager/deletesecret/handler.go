// Package deletesecret is Barbican's DELETE secrets/{id} (K5 layout:
// /v1/{tenant_id}/secrets/{id}): the secret is gone at once, later reads and lists answer 404.
// It answers 204, never 200 (gophercloud's secrets.Delete accepts only 202 and 204), with or
// without Accept: application/json, which gophercloud always sends.
package deletesecret

import (
	"context"
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/audit"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the delete in layout l. It makes one store call, the delete itself: the store's own
// precondition (live) says whether the secret was there, so no read comes first.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".DeleteSecret", Function: l.Dialect() + "-deletesecret",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("DELETE", "/secrets/{secret_id}"), Store: store.NeedDelete,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretDeletion,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return remove(q, d.Store) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID), Header: l.ExampleHeader()},
	}
}

type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

// remove deletes the project's secret in one action, so a concurrent delete or expiry cannot
// make two 204s. A secret that was not there (the store's Missing conflict) is the 404 of an
// unknown secret.
func remove(q *keymanager.Request, st applier) (keymanager.Answer, error) {
	id := q.PathValue("secret_id")
	if !kmsecret.ValidID(id) {
		return keymanager.Answer{}, kmsecret.InvalidID()
	}
	audit.SetResource(q.Context(), id)
	err := st.Apply(q.Context(), store.Tx{{Delete: &store.Delete{Ref: kmsecret.Ref(q.Project, id)}}})
	if c := store.ConflictOf(err); c != nil && c.Reason == store.Missing {
		return keymanager.Answer{}, kmsecret.NotFound()
	}
	return keymanager.Answer{Status: http.StatusNoContent}, err
}
