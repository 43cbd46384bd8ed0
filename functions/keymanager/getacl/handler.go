// Package getacl is Barbican's GET secrets/{id}/acl (K5 layout: /v1/{tenant_id}/secrets/{id}/acl),
// gophercloud's acls.GetSecretACL and what Terraform's openstack_keymanager_secret_v1 reads on
// every refresh: {"read": {...}}, Barbican's default {"project-access": true} for a secret that
// has no ACL.
package getacl

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the ACL read in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".GetSecretACL", Function: l.Dialect() + "-getsecretacl",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("GET", "/secrets/{secret_id}/acl"), Store: store.NeedGet,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretACLRead, Secret: true,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) {
					return keymanager.Answer{JSON: map[string]kmsecret.ACLRead{"read": kmsecret.ACLOf(q.Secret)}}, nil
				}})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/acl"), Header: l.ExampleHeader()},
	}
}
