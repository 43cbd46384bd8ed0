// Package createmetadatum is Barbican's POST secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.CreateMetadatum: it adds one
// key, answering 201 {"key", "value"} with its Location, or 409 if the secret has the key.
package createmetadatum

import (
	"net/http"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the metadatum create in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".CreateSecretMetadatum", Function: l.Dialect() + "-createsecretmetadatum",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("POST", "/secrets/{secret_id}/metadata"), Store: store.NeedGet | store.NeedUpdate,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretMetadatum, Secret: true, Body: keymanager.JSONBody,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return create(q, d.Store, d.Now) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/metadata"),
			Header: l.ExampleHeader("content-type", "application/json"), Body: `{"key":"team","value":"platform"}`},
	}
}

// metadatum is the body of the answer.
type metadatum struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func create(q *keymanager.Request, st store.Store, now func() time.Time) (keymanager.Answer, error) {
	key, value, err := kmsecret.DecodeMetadatum(q.Data)
	if err != nil {
		return keymanager.Answer{}, err
	}
	err = kmsecret.ChangeMetadata(q.Context(), st, q.Secret, now(), func(m map[string]string) error {
		if _, ok := m[key]; ok {
			return fault.New(fault.Exists, "key", "Conflict. Key in request is already in the secret metadata")
		}
		if len(m) >= kmsecret.MaxMetadata {
			return fault.New(fault.LimitExceeded, "key", "too many keys")
		}
		m[key] = value
		return nil
	})
	return keymanager.Answer{Status: http.StatusCreated, JSON: metadatum{key, value}, Location: q.Ref + "/metadata/" + key}, err
}
