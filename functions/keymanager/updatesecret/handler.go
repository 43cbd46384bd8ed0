// Package updatesecret is Barbican's PUT secrets/{id} (K5 layout: /v1/{tenant_id}/secrets/{id}),
// gophercloud's secrets.Update: it adds a payload to a secret created without one. It is not a
// rotation: a secret that has a payload answers 409, as in Barbican (docs/wire/keymanager.md,
// "Add a payload").
//
// Checks run in Barbican's order: the token (401/403), the secret (404), the Content-Type
// (415), the body limit (413), all by the request skeleton (keymanager.Handle); then an empty
// body (400), the payload rules of the layout, and the existing payload (409). Only then is the
// payload sealed and written, in one versioned update, so of two concurrent PUTs exactly one
// succeeds and a refusal writes nothing.
package updatesecret

import (
	"fmt"
	"net/http"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Row is the payload update in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".UpdateSecret", Function: l.Dialect() + "-updatesecret",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("PUT", "/secrets/{secret_id}"), Store: store.NeedGet | store.NeedUpdate, Seals: true,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretUpdate, Secret: true, Body: keymanager.PayloadBody,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return update(q, d.Store, d.Sealer, d.Now) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets/" + keymanager.ExampleSecretID),
			Header: l.ExampleHeader("content-type", "application/octet-stream", "content-encoding", "base64"), Body: "aGVsbG8gZnJvbSBrZXlwb3J0"},
	}
}

// attempts bounds the retries of a write that lost a race with another change of the same
// secret (a metadata edit, say): each retry re-reads it, so a concurrent payload wins with 409.
const attempts = 3

func update(q *keymanager.Request, st store.Store, s *seal.Sealer, now func() time.Time) (keymanager.Answer, error) {
	p, err := parse(q.Data, q.Media, q.Header.Get("Content-Encoding"), rulesOf(q.Layout))
	if err != nil {
		return keymanager.Answer{}, err
	}
	defer clear(p.plaintext)
	if q.Secret.Sealed != nil {
		return keymanager.Answer{}, alreadyHasData()
	}
	blob, err := s.Seal(q.Context(), kmsecret.Scope(q.Project), q.Secret.Ref.AAD(), p.plaintext)
	if err != nil {
		return keymanager.Answer{}, fmt.Errorf("updatesecret: seal: %v", err)
	}
	// A secret that gained a payload meanwhile is 409; the blob, sealed to the secret's ref,
	// stays good for every attempt.
	err = kmsecret.Change(q.Context(), st, q.Secret, attempts, func(rec store.Record) (store.Update, error) {
		if rec.Sealed != nil {
			return store.Update{}, alreadyHasData()
		}
		at := now().UTC()
		return store.Update{Sealed: blob, At: at, Set: store.Attrs{"payload_content_type": p.contentType, "updated": kmsecret.Isoformat(at)}}, nil
	})
	return keymanager.Answer{Status: http.StatusNoContent}, err
}

func alreadyHasData() error {
	return fault.New(fault.Exists, "", "Secret already has data, cannot modify it.")
}
