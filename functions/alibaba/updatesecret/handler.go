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
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Pattern is the operation's route, shared by the local server and the Lambda.
const Pattern = "PUT /v1/secrets/{secretId}"

// updater is what UpdateSecret does with the store: a read, then one transaction.
type updater interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// sealer seals the new value: one KMS GenerateDataKey per update in production.
type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps are the operation's collaborators; Now defaults to time.Now.
type Deps struct {
	Store  updater
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
}

// New returns the UpdateSecret handler (it routes Pattern itself).
func New(d Deps) http.Handler {
	if d.Store == nil || d.Sealer == nil || d.Creds == nil {
		panic("updatesecret: Deps needs Store, Sealer and Creds")
	}
	return alibaba.Handle(Pattern, d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, body []byte) (any, error) {
		req, err := decode(r.Header.Get("Content-Type"), body)
		if err != nil {
			return nil, err
		}
		return nil, update(r.Context(), d, c, r.PathValue("secretId"), req.SecretData)
	})
}

// update reads the secret first, so an unknown id costs no data key, then seals the value and
// writes it with the nonce in one transaction, nonce first (see apigsecret.ActionNonce). The
// update is unversioned: of two racing updates the later write wins whole, and an update racing
// a delete either lands before it or finds the secret gone (404).
func update(ctx context.Context, d Deps, c alibaba.Caller, id, value string) error {
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
