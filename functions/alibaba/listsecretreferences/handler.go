// Package listsecretreferences is Alibaba Cloud APIG's ListSecretReferences
// (GET /v1/secrets/{secretId}/references) for keyport. keyport has no gateways, services,
// plugins, consumers or MCP servers that could reference a secret, so a secret of the caller's
// has no references: the answer is an empty page in APIG's paging envelope, with the paging
// parameters checked and echoed as ListSecrets does. An unknown secret is 404, as in GetSecret.
package listsecretreferences

import (
	"net/http"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares ListSecretReferences: one read, and the put of the request's nonce.
var Row = operation.Row{
	Name:     "alibaba.ListSecretReferences",
	Function: "alibaba-listsecretreferences",
	API:      "Alibaba",
	Dialect:  operation.Alibaba,
	Service:  alibaba.Service,
	Route:    "GET /v1/secrets/{secretId}/references",
	Store:    store.NeedGet | store.NeedPut,
	New:      newHandler,
	Example: &operation.Example{
		Path:   "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references",
		Query:  "pageNumber=1&pageSize=10",
		Header: alibaba.ExampleHeader("ListSecretReferences", false),
	},
}

// reference is an item of the page. There are never any; the type gives the page its shape.
type reference struct {
	ResourceType string `json:"resourceType"`
}

func newHandler(d operation.Deps) http.Handler {
	return alibaba.Handle(d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		p, err := alibaba.ParsePaging(r.URL.Query())
		if err != nil {
			return nil, err
		}
		if _, err := apigsecret.GetSpent(r.Context(), d.Store, c, r.PathValue("secretId")); err != nil {
			return nil, err
		}
		return alibaba.NewPage[reference](p, 0, nil), nil
	})
}
