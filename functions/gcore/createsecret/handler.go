// Package createsecret serves Gcore Cloud's "create secret"
// (POST /cloud/v1/secrets/{project_id}/{region_id}): it validates the body, seals the payload
// and stores the secret together with a finished task, then answers {"tasks":["<task id>"]}
// as Gcore does. Clients poll the task (package gettask) to learn the secret's id.
package createsecret

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Row declares the operation.
var Row = operation.Row{
	Name:     "gcore.CreateSecret",
	Function: "gcore-createsecret",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "POST /cloud/v1/secrets/{project_id}/{region_id}",
	Store:    store.NeedPut,
	Seals:    true,
	New:      newHandler,
	Example: &operation.Example{
		Path: "/cloud/v1/secrets/1/76",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"content-type":  "application/json",
			"user-agent":    "Gcore/Go 0.1.0",
		},
		Body: `{"name":"keyport-event","payload":"aGVsbG8gZnJvbSBrZXlwb3J0","payload_content_encoding":"base64","payload_content_type":"application/octet-stream","secret_type":"opaque"}`,
	},
}

// response is Gcore's answer to an asynchronous create.
type response struct {
	Tasks []string `json:"tasks"`
}

func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Scoped: true, JSON: true, Act: func(r gcore.Request) (gcore.Reply, error) {
		now := d.Now().UTC()
		req, err := decode(r.Body, now)
		if err != nil {
			return gcore.Reply{}, err
		}
		defer clear(req.plaintext)
		task, err := create(r.Context(), d, r.Scope, req, now)
		if err != nil {
			return gcore.Reply{}, err
		}
		// The audit event names the id the client is given; the task names the secret.
		return gcore.Reply{Body: response{Tasks: []string{task.ID}}, Resource: task.ID}, nil
	}})
}

// create seals the payload and writes the secret and its finished task (both copies, see
// gcoretask.Task.Records) in one transaction. Every failure here is the server's: the ids are
// fresh (gcore.NewID), so nothing the client sent can conflict, and a conflict would mean a
// fresh UUID collided. Store errors come kinded by the restricted store; a seal error is
// flattened (%v) so no cause it wraps can become a client status.
func create(ctx context.Context, d operation.Deps, s gcore.Scope, req request, now time.Time) (gcoretask.Task, error) {
	secretID, err := gcore.NewID()
	if err != nil {
		return gcoretask.Task{}, fmt.Errorf("createsecret: secret id: %w", err)
	}
	task, err := gcoretask.New(ctx, gcoretask.TypeCreateSecret, s, now)
	if err != nil {
		return gcoretask.Task{}, err
	}
	task.Secrets = []string{secretID}
	secret := secretRecord(s, secretID, req, now)
	secret.Sealed, err = d.Sealer.Seal(ctx, seal.Scope{Service: gcore.Service, Tenant: s.Tenant()}, secret.Ref.AAD(), req.plaintext)
	if err != nil {
		return gcoretask.Task{}, fmt.Errorf("createsecret: seal: %v", err)
	}
	tx := append(store.Tx{{Put: &store.Put{Record: secret}}}, task.Puts()...)
	if err := d.Store.Apply(ctx, tx); err != nil {
		return gcoretask.Task{}, fmt.Errorf("createsecret: %w", err)
	}
	return task, nil
}

// secretRecord is the record of secret id in scope s, without its sealed payload: the request's
// metadata in the form every Gcore read renders (gcoresecret.Secret).
func secretRecord(s gcore.Scope, id string, req request, now time.Time) store.Record {
	return gcoresecret.Secret{
		ID:                 id,
		Name:               req.Name,
		SecretType:         req.SecretType,
		PayloadContentType: req.PayloadContentType,
		Algorithm:          req.Algorithm,
		Mode:               req.Mode,
		BitLength:          req.BitLength,
		Created:            now,
		Expiration:         req.Expiration,
	}.Record(s)
}
