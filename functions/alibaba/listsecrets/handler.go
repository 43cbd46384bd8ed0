// Package listsecrets is Alibaba Cloud APIG's ListSecrets (GET /v1/secrets) for keyport: the
// caller's secrets, newest first, filtered by gatewayType and nameLike and cut into numbered
// pages, with totalSize counting every match. Items carry metadata only, never a value.
package listsecrets

import (
	"net/http"

	"keyport/shared/api/alibaba"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares ListSecrets: a List of the account's secrets, and the put of the request's nonce.
var Row = operation.Row{
	Name:     "alibaba.ListSecrets",
	Function: "alibaba-listsecrets",
	API:      "Alibaba",
	Dialect:  operation.Alibaba,
	Service:  alibaba.Service,
	Route:    "GET /v1/secrets",
	Store:    store.NeedList | store.NeedPut,
	New:      newHandler,
	Example: &operation.Example{
		Path:   "/v1/secrets",
		Query:  "gatewayType=API&nameLike=event&pageNumber=1&pageSize=10",
		Header: alibaba.ExampleHeader("ListSecrets", false),
	},
}

func newHandler(d operation.Deps) http.Handler {
	return alibaba.Handle(d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		q, err := parse(r.URL.Query())
		if err != nil {
			return nil, err
		}
		if err := c.Spend(r.Context(), d.Store); err != nil {
			return nil, err
		}
		return list(r.Context(), d.Store, c.Account, c.Policy, q)
	})
}
