// Package updatemetadatum is Barbican's PUT secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.UpdateMetadatum: it sets
// an existing key's value and answers 200 {"key", "value"}; 404 if the key is absent, 409 if
// the body names another key than the path.
package updatemetadatum

import (
	"net/http"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the metadatum update in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".UpdateSecretMetadatum", Function: l.Dialect() + "-updatesecretmetadatum",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("PUT", "/secrets/{secret_id}/metadata/{key}"), Store: store.NeedGet | store.NeedUpdate,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretMetadatum, Secret: true, Body: keymanager.JSONBody,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return update(q, d.Store, d.Now) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/metadata/owner"),
			Header: l.ExampleHeader("content-type", "application/json"), Body: `{"key":"owner","value":"ops"}`},
	}
}

func update(q *keymanager.Request, st store.Store, now func() time.Time) (keymanager.Answer, error) {
	key, value, err := kmsecret.DecodeMetadatum(q.Data)
	if err != nil {
		return keymanager.Answer{}, err
	}
	if key != kmsecret.MetadataPathKey(q.Request) {
		return keymanager.Answer{}, fault.New(fault.Exists, "key", "Conflict. Key in request body does not match key in request path.")
	}
	err = kmsecret.ChangeMetadata(q.Context(), st, q.Secret, now(), func(m map[string]string) error {
		if _, ok := m[key]; !ok {
			return kmsecret.MetadatumNotFound()
		}
		m[key] = value
		return nil
	})
	return keymanager.Answer{JSON: map[string]string{"key": key, "value": value}}, err
}
