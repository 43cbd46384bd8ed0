// Package createsecret serves Gcore Cloud's "create secret"
// (POST /cloud/v1/secrets/{project_id}/{region_id}): it validates the body, seals the payload
// and stores the secret together with a finished task, then answers {"tasks":["<task id>"]}
// as Gcore does. Clients poll the task (package gettask) to learn the secret's id.
package createsecret

import (
	"net/http"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/operation"
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
		task, err := gcoretask.CreateSecret(r.Context(), d.Store, d.Sealer, r.Scope, now,
			func(id string) store.Record { return secretRecord(r.Scope, id, req, now) }, req.plaintext)
		if err != nil {
			return gcore.Reply{}, err
		}
		// The audit event names the id the client is given; the task names the secret.
		return gcore.Reply{Body: response{Tasks: []string{task.ID}}, Resource: task.ID}, nil
	}})
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
