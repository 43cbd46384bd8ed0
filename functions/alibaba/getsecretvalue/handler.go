// Package getsecretvalue is Alibaba Cloud APIG's GetSecretValue
// (GET /v1/secrets/name/{name}/value) for keyport: the value of the caller's secret called
// name, opened from its envelope. It is the only Alibaba operation that may decrypt. APIG
// addresses a value by name only; the name record makes that two key reads (see apigsecret).
package getsecretvalue

import (
	"fmt"
	"net/http"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares GetSecretValue: two reads, the put of the request's nonce, and one KMS Decrypt.
var Row = operation.Row{
	Name:     "alibaba.GetSecretValue",
	Function: "alibaba-getsecretvalue",
	API:      "Alibaba",
	Dialect:  operation.Alibaba,
	Service:  alibaba.Service,
	Route:    "GET /v1/secrets/name/{name}/value",
	Store:    store.NeedGet | store.NeedPut,
	Opens:    true,
	New:      newHandler,
	Example: &operation.Example{
		Path:   "/v1/secrets/name/keyport_event_secret/value",
		Header: alibaba.ExampleHeader("GetSecretValue", false),
	},
}

// value is the answer's data.
type value struct {
	SecretData string `json:"secretData"`
}

func newHandler(d operation.Deps) http.Handler {
	return alibaba.Handle(d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		ctx := r.Context()
		rec, err := apigsecret.GetByName(ctx, d.Store, c.Account, r.PathValue("name"))
		if err != nil {
			return nil, err
		}
		// The nonce is spent before the value is opened, so a replay costs no KMS call.
		if err := c.Spend(ctx, d.Store); err != nil {
			return nil, err
		}
		plain, err := d.Sealer.Open(ctx, apigsecret.Scope(c.Account), rec.AAD(), rec.Sealed)
		if err != nil {
			return nil, fmt.Errorf("getsecretvalue: open %s: %v", rec.ID, err)
		}
		v := value{SecretData: string(plain)}
		clear(plain) // the answer holds the only copy the request needs
		return v, nil
	})
}
