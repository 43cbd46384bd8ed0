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
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the delete in layout l. For a static token it makes one store call, the delete
// itself: the store's own precondition (live) says whether the secret was there. A Keystone
// token without the admin role reads the secret first, whose ACL may refuse it
// (keymanager.Request.Reach), and deletes that version only.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".DeleteSecret", Function: l.Dialect() + "-deletesecret",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("DELETE", "/secrets/{secret_id}"), Store: store.NeedDelete | store.NeedGet,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretDeletion,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return remove(q, d.Store) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID), Header: l.ExampleHeader()},
	}
}

type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
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
	del := &store.Delete{Ref: kmsecret.Ref(q.Project, id)}
	if q.Limited() {
		rec, err := kmsecret.Lookup(q.Context(), st, q.Project, id)
		if err != nil {
			return keymanager.Answer{}, err
		}
		if err := q.Reach(rec); err != nil {
			return keymanager.Answer{}, err
		}
		del.IfVersion = rec.Version
	}
	err := st.Apply(q.Context(), store.Tx{{Delete: del}})
	if c := store.ConflictOf(err); c != nil {
		if c.Reason == store.Missing {
			return keymanager.Answer{}, kmsecret.NotFound()
		}
		// Only a read-first delete names a version: the secret (its ACL, say) changed between
		// the read and the delete, so nothing was deleted.
		return keymanager.Answer{}, fault.New(fault.Exists, "", "The secret changed while it was being deleted; nothing was deleted, retry.")
	}
	return keymanager.Answer{Status: http.StatusNoContent}, err
}
