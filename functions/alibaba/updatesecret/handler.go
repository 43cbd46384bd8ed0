// Package updatesecret is Alibaba Cloud APIG's UpdateSecret (PUT /v1/secrets/{secretId}) for
// keyport: it replaces a secret's value, resealed under a fresh data key, and moves its
// updateTimestamp; nothing else about the secret changes. The answer is the envelope without
// data.
package updatesecret

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares UpdateSecret: a read, then one transaction (the nonce's put and the secret's
// update), and one KMS GenerateDataKey for the new value.
var Row = operation.Row{
	Name:     "alibaba.UpdateSecret",
	Function: "alibaba-updatesecret",
	API:      "Alibaba",
	Dialect:  operation.Alibaba,
	Service:  alibaba.Service,
	Route:    "PUT /v1/secrets/{secretId}",
	Store:    store.NeedGet | store.NeedPut | store.NeedUpdate,
	Seals:    true,
	New:      newHandler,
	Example: &operation.Example{
		Path:   "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx",
		Header: alibaba.ExampleHeader("UpdateSecret", true),
		Body:   `{"secretData":"apikey-rotated"}`,
	},
}

func newHandler(d operation.Deps) http.Handler {
	return alibaba.Handle(d.Creds, d.Now, alibaba.WithBody(func(r *http.Request, c alibaba.Caller, req request) (any, error) {
		return nil, update(r.Context(), d, c, r.PathValue("secretId"), req.SecretData)
	}))
}

// update reads the secret first, so an unknown id costs no data key, then seals the value and
// writes it with the nonce in one transaction, nonce first (see apigsecret.ActionNonce). The
// update is unversioned: of two racing updates the later write wins whole, and an update racing
// a delete either lands before it or finds the secret gone (404).
func update(ctx context.Context, d operation.Deps, c alibaba.Caller, id, value string) error {
	rec, err := apigsecret.Get(ctx, d.Store, c.Account, id)
	if err != nil {
		return err
	}
	sealed, err := d.Sealer.Seal(ctx, apigsecret.Scope(c.Account), rec.AAD(), []byte(value))
	if err != nil {
		return fmt.Errorf("updatesecret: seal: %v", err)
	}
	up := &store.Update{Ref: rec.Ref, Sealed: sealed, At: stamp(c.At, rec)}
	return apigsecret.WriteFault("updatesecret", d.Store.Apply(ctx, store.Tx{c.SpendNonce(), {Update: up}}), id)
}

// stamp is the update's time: the request's, but always after the secret's last change, so
// updateTimestamp moves even when two writes fall in one millisecond or clocks of two instances
// disagree.
func stamp(at time.Time, rec store.Record) time.Time {
	if last := apigsecret.UpdatedAt(rec).Truncate(time.Millisecond); !at.Truncate(time.Millisecond).After(last) {
		return last.Add(time.Millisecond)
	}
	return at
}
