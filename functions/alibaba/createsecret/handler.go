// Package createsecret is Alibaba Cloud APIG's CreateSecret (POST /v1/secrets, version
// 2024-03-27) for keyport: in alibaba.Handle's skeleton (a request authenticated by ACS3 or the legacy signature,
// body decoded and validated), it seals secretData under the caller's account and stores the
// secret with one atomic write, answering in APIG's JSON envelope so the official SDK
// (apig-20240327/v6) works unchanged.
package createsecret

import (
	"net/http"

	"keyport/shared/api/alibaba"
	"keyport/shared/audit"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares CreateSecret: one transaction of puts (the nonce, the secret, its name) and one
// KMS GenerateDataKey.
var Row = operation.Row{
	Name:     "alibaba.CreateSecret",
	Function: "alibaba-createsecret",
	API:      "Alibaba",
	Dialect:  operation.Alibaba,
	Service:  alibaba.Service,
	Route:    "POST /v1/secrets",
	Store:    store.NeedPut,
	Seals:    true,
	New:      newHandler,
	Example: &operation.Example{
		Path:   "/v1/secrets",
		Header: alibaba.ExampleHeader("CreateSecret", true),
		Body: `{"gatewayType":"API","kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"key-1"},` +
			`"name":"keyport_event_secret","secretData":"apikey-123456","secretSource":"KMS"}`,
	},
}

// created is the answer's data.
type created struct {
	SecretID string `json:"secretId"`
}

// newHandler runs create, for a valid request only, in the dialect's skeleton: nothing is
// sealed or written unless every check passed.
func newHandler(d operation.Deps) http.Handler {
	return alibaba.Handle(d.Creds, d.Now, alibaba.WithBody(func(r *http.Request, c alibaba.Caller, req request) (any, error) {
		id, err := create(r.Context(), d, c, req)
		if err != nil {
			return nil, err
		}
		audit.SetResource(r.Context(), id)
		return created{SecretID: id}, nil
	}))
}
