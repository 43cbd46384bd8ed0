// Package getmetadatum is Barbican's GET secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.GetMetadatum:
// {"key", "value"}, or 404 "Secret metadata not found.".
package getmetadatum

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the metadatum read in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".GetSecretMetadatum", Function: l.Dialect() + "-getsecretmetadatum",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("GET", "/secrets/{secret_id}/metadata/{key}"), Store: store.NeedGet,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretMetadatum, Secret: true, Do: get})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/metadata/owner"), Header: l.ExampleHeader()},
	}
}

func get(q *keymanager.Request) (keymanager.Answer, error) {
	key := kmsecret.MetadataPathKey(q.Request)
	value, ok := kmsecret.UserMetadata(q.Secret)[key]
	if !ok {
		return keymanager.Answer{}, kmsecret.MetadatumNotFound()
	}
	return keymanager.Answer{JSON: map[string]string{"key": key, "value": value}}, nil
}
