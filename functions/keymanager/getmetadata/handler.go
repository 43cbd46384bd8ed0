// Package getmetadata is Barbican's GET secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.GetMetadata: the secret's user
// metadata, {"metadata": {key: value, …}}.
package getmetadata

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the metadata read in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".GetSecretMetadata", Function: l.Dialect() + "-getsecretmetadata",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("GET", "/secrets/{secret_id}/metadata"), Store: store.NeedGet,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretMetadata, Secret: true, Do: get})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/metadata"), Header: l.ExampleHeader()},
	}
}

func get(q *keymanager.Request) (keymanager.Answer, error) {
	return keymanager.Answer{JSON: map[string]map[string]string{"metadata": kmsecret.UserMetadata(q.Secret)}}, nil
}
