// Package getpayload is Barbican's GET secrets/{id}/payload (K5 layout:
// /v1/{tenant_id}/secrets/{id}/payload), what gophercloud's secrets.GetPayload calls: the
// decrypted payload, negotiated against Accept (see kmsecret.Negotiate).
package getpayload

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row is the payload read in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".GetSecretPayload", Function: l.Dialect() + "-getsecretpayload",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("GET", "/secrets/{secret_id}/payload"), Store: store.NeedGet, Opens: true,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretPayloadRetrieval, Secret: true,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return get(q, d.Sealer) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID + "/payload"),
			Header: l.ExampleHeader("accept", "application/octet-stream")},
	}
}

// get answers the payload in the type Accept asks for.
func get(q *keymanager.Request, o kmsecret.Opener) (keymanager.Answer, error) {
	contentType, plain, err := kmsecret.Open(q.Context(), o, q.Secret, q.Header.Get("Accept"), !q.Layout.Upstream)
	return keymanager.Answer{PayloadType: contentType, Payload: plain}, err
}
