// Package deletemetadatum is Barbican's DELETE secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.DeleteMetadatum: 204, or
// 404 "Secret metadata not found." if the secret has no such key.
package deletemetadatum

import (
	"net/http"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the metadatum delete in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".DeleteSecretMetadatum", Function: l.Dialect() + "-deletesecretmetadatum",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("DELETE", "/secrets/{secret_id}/metadata/{key}"), Store: store.NeedGet | store.NeedUpdate,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretMetadatum, Secret: true,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return remove(q, d.Store, d.Now) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/metadata/owner"), Header: l.ExampleHeader()},
	}
}

func remove(q *keymanager.Request, st store.Store, now func() time.Time) (keymanager.Answer, error) {
	key := kmsecret.MetadataPathKey(q.Request)
	err := kmsecret.ChangeMetadata(q.Context(), st, q.Secret, now(), func(m map[string]string) error {
		if _, ok := m[key]; !ok {
			return kmsecret.MetadatumNotFound()
		}
		delete(m, key)
		return nil
	})
	return keymanager.Answer{Status: http.StatusNoContent}, err
}
