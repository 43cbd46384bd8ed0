// Package getsecret is Barbican's GET secrets/{id} (K5: GET /v1/{tenant_id}/secrets/{id};
// upstream: GET /v1/secrets/{id}). With Accept application/json, */* or none it answers the
// secret's metadata, what gophercloud's secrets.Get reads; with any other Accept it answers the
// payload, the deprecated form that is the only one K5 documents. So this operation, like the
// payload read, decrypts.
package getsecret

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the read in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".GetSecret", Function: l.Dialect() + "-getsecret",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("GET", "/secrets/{secret_id}"), Store: store.NeedGet, Opens: true,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretRetrieval, Secret: true,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return get(q, d.Sealer) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID), Header: l.ExampleHeader()},
	}
}

// get answers the secret's metadata, or its payload for an Accept that asks for it.
func get(q *keymanager.Request, o kmsecret.Opener) (keymanager.Answer, error) {
	accept := q.Header.Get("Accept")
	if kmsecret.WantsMetadata(accept) {
		return keymanager.Answer{JSON: kmsecret.MetadataOf(q.Secret, q.Ref)}, nil
	}
	contentType, plain, err := kmsecret.Open(q.Context(), o, q.Secret, accept, !q.Layout.Upstream)
	return keymanager.Answer{PayloadType: contentType, Payload: plain}, err
}
