// Package getsecret is Alibaba Cloud APIG's GetSecret (GET /v1/secrets/{secretId}) for keyport:
// a secret's metadata, never its value. Terraform's provider reads a secret right after creating
// it and takes an HTTP 404 to mean "gone", so an unknown, malformed or another account's id is
// 404 NotFound.Secret.
package getsecret

import (
	"net/http"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares GetSecret: one read, and the put of the request's nonce once it succeeds.
var Row = operation.Row{
	Name:     "alibaba.GetSecret",
	Function: "alibaba-getsecret",
	API:      "Alibaba",
	Dialect:  operation.Alibaba,
	Service:  alibaba.Service,
	Route:    "GET /v1/secrets/{secretId}",
	Store:    store.NeedGet | store.NeedPut,
	New:      newHandler,
	Example: &operation.Example{
		Path:   "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx",
		Header: alibaba.ExampleHeader("GetSecret", false),
	},
}

func newHandler(d operation.Deps) http.Handler {
	return alibaba.Handle(d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		rec, err := apigsecret.GetSpent(r.Context(), d.Store, c, r.PathValue("secretId"))
		if err != nil {
			return nil, err
		}
		return apigsecret.ViewOf(rec), nil
	})
}
