// Package putmetadata is Barbican's PUT secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.CreateMetadata: it replaces the
// secret's user metadata as a whole and answers 201 with {"metadata_ref": …}.
package putmetadata

import (
	"maps"
	"net/http"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the metadata replace in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".ReplaceSecretMetadata", Function: l.Dialect() + "-replacesecretmetadata",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("PUT", "/secrets/{secret_id}/metadata"), Store: store.NeedGet | store.NeedUpdate,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretMetadata, Secret: true, Body: keymanager.JSONBody,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return put(q, d.Store, d.Now) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/metadata"),
			Header: l.ExampleHeader("content-type", "application/json"), Body: `{"metadata":{"owner":"keyport","stage":"event"}}`},
	}
}

func put(q *keymanager.Request, st store.Store, now func() time.Time) (keymanager.Answer, error) {
	m, err := kmsecret.DecodeMetadata(q.Data)
	if err != nil {
		return keymanager.Answer{}, err
	}
	if len(m) > kmsecret.MaxMetadata {
		return keymanager.Answer{}, fault.New(fault.LimitExceeded, "metadata", "too many keys")
	}
	err = kmsecret.ChangeMetadata(q.Context(), st, q.Secret, now(), func(old map[string]string) error {
		clear(old)
		maps.Copy(old, m)
		return nil
	})
	return keymanager.Answer{Status: http.StatusCreated, JSON: map[string]string{"metadata_ref": q.Ref + "/metadata"}}, err
}
