// Package getsecret serves Gcore Cloud's "get secret"
// (GET /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}): the secret's metadata as
// Gcore's Secret object, never its payload (no Gcore endpoint returns one). Clients call it
// right after the create's task finishes, and after a delete's task to check the secret is gone.
package getsecret

import (
	"errors"
	"net/http"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares the operation.
var Row = operation.Row{
	Name:     "gcore.GetSecret",
	Function: "gcore-getsecret",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "GET /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}",
	Store:    store.NeedGet,
	New:      newHandler,
	Example: &operation.Example{
		Path: "/cloud/v1/secrets/1/76/3e6a1f0b-5a44-4d2b-9d0c-8f1e2d3c4b5a",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"user-agent":    "Gcore/Go 0.1.0",
		},
	},
}

// newHandler reads the secret the path names. The secret's key holds its project and region,
// so another project's or region's secret is simply absent: the answer is the one an unknown id
// gets.
func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Scoped: true, Act: func(r gcore.Request) (gcore.Reply, error) {
		id, err := gcoresecret.ParseID(r.PathValue("secret_id"))
		if err != nil {
			return gcore.Reply{}, err
		}
		rec, err := d.Store.Get(r.Context(), gcoresecret.Ref(r.Scope, id))
		if errors.Is(err, store.ErrNotFound) {
			return gcore.Reply{}, gcoresecret.NotFound(id)
		}
		if err != nil {
			return gcore.Reply{}, err
		}
		s, err := gcoresecret.FromRecord(rec)
		if err != nil {
			return gcore.Reply{}, err
		}
		return gcore.Reply{Body: s.JSON(), Resource: s.ID}, nil
	}})
}
