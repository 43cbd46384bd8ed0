// Package deleteacl is Barbican's DELETE secrets/{id}/acl (K5 layout:
// /v1/{tenant_id}/secrets/{id}/acl), gophercloud's acls.DeleteSecretACL: the secret is back to
// Barbican's default ACL (its project reads it); 200 without a body, as gophercloud expects.
package deleteacl

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the ACL delete in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".DeleteSecretACL", Function: l.Dialect() + "-deletesecretacl",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("DELETE", "/secrets/{secret_id}/acl"), Store: store.NeedGet | store.NeedUpdate | store.NeedDelete,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretACLDelete, Secret: true,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) {
					if err := kmsecret.DeleteACL(q.Context(), d.Store, q.Secret, d.Now()); err != nil {
						return keymanager.Answer{}, err
					}
					return keymanager.Answer{Status: http.StatusOK}, nil
				}})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/acl"), Header: l.ExampleHeader()},
	}
}
