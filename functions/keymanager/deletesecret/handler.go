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
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the delete in layout l. Handle reads the secret first (its ACL may refuse a Keystone
// token; and a secret shared through its ACL has a locator to delete with it), then the
// operation deletes that version.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".DeleteSecret", Function: l.Dialect() + "-deletesecret",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("DELETE", "/secrets/{secret_id}"), Store: store.NeedDelete | store.NeedGet,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretDeletion, Secret: true,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return remove(q, d.Store) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID), Header: l.ExampleHeader()},
	}
}

type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// deleteAttempts bounds the re-reads of a delete that lost a race with a change of the secret.
const deleteAttempts = 5

// remove deletes the project's secret as Handle read it, with its locator if it has one, in
// one transaction, so a concurrent delete or expiry cannot make two 204s. A secret that is no
// longer there (the store's Missing conflict) is the 404 of an unknown secret; one that changed
// since it was read is read again, and the decision asked again about it as it is now
// (keymanager.Request.Reach: its ACL may have changed).
func remove(q *keymanager.Request, st applier) (keymanager.Answer, error) {
	rec := q.Secret
	for attempt := range deleteAttempts {
		if attempt > 0 {
			var err error
			if rec, err = kmsecret.Lookup(q.Context(), st, q.Project, rec.ID); err != nil {
				return keymanager.Answer{}, err
			}
			if err := q.Reach(rec); err != nil {
				return keymanager.Answer{}, err
			}
		}
		err := st.Apply(q.Context(), kmsecret.Deletion(rec))
		if c := store.ConflictOf(err); c != nil && c.Reason == store.Missing && c.Action == 0 {
			return keymanager.Answer{}, kmsecret.NotFound()
		} else if c == nil {
			return keymanager.Answer{Status: http.StatusNoContent}, err
		}
	}
	return keymanager.Answer{}, fault.New(fault.Exists, "", "The secret kept changing while it was being deleted; nothing was deleted, retry.")
}
