// Package patchacl is Barbican's PATCH secrets/{id}/acl (K5 layout: /v1/{tenant_id}/secrets/{id}/acl),
// gophercloud's acls.UpdateSecretACL: it changes only what the body gives, and answers 200 with {"acl_ref": …}, the status gophercloud and
// Terraform accept (and no other).
package patchacl

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the ACL PATCH in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".UpdateSecretACL", Function: l.Dialect() + "-updatesecretacl",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("PATCH", "/secrets/{secret_id}/acl"), Store: store.NeedGet | store.NeedUpdate | store.NeedPut | store.NeedDelete,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretACLUpdate, Secret: true, Body: keymanager.JSONBody,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) {
					c, err := kmsecret.DecodeACL(q.Data)
					if err != nil {
						return keymanager.Answer{}, err
					}
					if err := kmsecret.SetACL(q.Context(), d.Store, q.Secret, d.Now(), c, false); err != nil {
						return keymanager.Answer{}, err
					}
					return keymanager.Answer{JSON: map[string]string{"acl_ref": q.Ref + "/acl"}}, nil
				}})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/acl"),
			Header: l.ExampleHeader("content-type", "application/json"), Body: `{"read":{"project-access":false,"users":["updatesecretacl-user"]}}`},
	}
}
