// Package createsecret is K5 Key Manager's "create key metadata" (OpenStack Barbican's create
// secret), served so that Barbican clients such as gophercloud's keymanager/v1/secrets.Create
// and python-barbicanclient work against keyport unchanged, in either URL layout: K5's
// POST /v1/{tenant_id}/secrets with K5's rules, or upstream Barbican's POST /v1/secrets with
// upstream's.
//
// The body, read by the key manager's request skeleton (keymanager.Handle) once the token is
// authenticated, is validated in Barbican's order with the layout's rules, and only then sealed
// and stored as one record that expires with the secret. Nothing is written for a refused
// request.
package createsecret

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/audit"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Row is the create in layout l. Upstream, it also answers the collection with the trailing
// slash python-barbicanclient posts to (Barbican's pecan routes both).
func Row(l keymanager.Layout) operation.Row {
	row := operation.Row{
		Name: l.Dialect() + ".CreateSecret", Function: l.Dialect() + "-createsecret",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("POST", "/secrets"), Store: store.NeedPut, Seals: true,
		New: func(d operation.Deps) http.Handler { return newHandler(l, d) },
		Example: &operation.Example{Path: l.ExamplePath("/secrets"), Header: l.ExampleHeader("content-type", "application/json"),
			Body: `{"name":"keyport-event","payload":"aGVsbG8gZnJvbSBrZXlwb3J0","payload_content_encoding":"base64",` +
				`"payload_content_type":"application/octet-stream","secret_type":"opaque"}`},
	}
	if l.Upstream {
		// Upstream's event creates a secret without a payload, which its PUT then gives one.
		row.Alias = l.Pattern("POST", "/secrets/{$}")
		row.Example.Body = `{"name":"keyport-event","secret_type":"opaque"}`
	}
	return row
}

func newHandler(l keymanager.Layout, d operation.Deps) http.Handler {
	c := creator{store: d.Store, sealer: d.Sealer, now: d.Now}
	return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretCreation, Body: keymanager.JSONBody, Do: c.create})
}

// applier is the one store call a create makes: an atomic transaction.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

type creator struct {
	store  applier
	sealer sealer
	now    func() time.Time
}

// created is the 201's body.
type created struct {
	SecretRef string `json:"secret_ref"`
}

// create decodes and checks the body with the layout's rules, then stores the secret under a
// fresh id and answers Barbican's 201: Location and {"secret_ref": …}, as JSON with K5's
// charset.
func (c creator) create(q *keymanager.Request) (keymanager.Answer, error) {
	now := c.now().UTC()
	req, err := decode(q.Data, now, q.Layout)
	if err != nil {
		return keymanager.Answer{}, err
	}
	defer clear(req.plaintext)
	id, err := uuid.NewRandom()
	if err != nil {
		return keymanager.Answer{}, fmt.Errorf("createsecret: resource id: %w", err)
	}
	rec := req.record(q.Project, id.String(), now, q.Layout)
	if q.User != "" {
		rec.Attrs["creator_id"] = q.User // the Keystone user; a static K5 token names no user
	}
	if err := c.put(q.Context(), rec, req.plaintext); err != nil {
		return keymanager.Answer{}, err
	}
	audit.SetResource(q.Context(), id.String())
	ref := q.Base + "/secrets/" + id.String()
	return keymanager.Answer{Status: http.StatusCreated, JSON: created{ref}, ContentType: "application/json; charset=UTF-8", Location: ref}, nil
}

// put seals plaintext (if any) to the record's ref and writes the record. The secret's id is
// fresh, so a store error, a conflict included, is the server's.
func (c creator) put(ctx context.Context, rec store.Record, plaintext []byte) error {
	if plaintext != nil {
		blob, err := c.sealer.Seal(ctx, kmsecret.Scope(rec.Tenant), rec.Ref.AAD(), plaintext)
		clear(plaintext)
		if err != nil {
			// %v, not %w: a KMS refusal is the server's problem, never a client fault kind.
			return fmt.Errorf("createsecret: seal: %v", err)
		}
		rec.Sealed = blob
	}
	return c.store.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}})
}
