package createsecret

import (
	"context"
	"fmt"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/fault"
	"keyport/shared/ids"
	"keyport/shared/store"
)

// codeNameDuplicate answers a second secret with the same name in an account. INFERENCE: APIG
// documents no code for it; real clients see 409 Conflict.ConsumerNameDuplicate for the sibling
// CreateConsumer (WIRE §2.6), so secrets are given the same pattern.
const codeNameDuplicate = "Conflict.SecretNameDuplicate"

// secretIDAlphabet shapes ids like APIG's sec-d5e6shmm1hkoxxxxxxxx: apigsecret.IDPrefix and
// apigsecret.IDLen lower-case letters and digits, in ascending order as ids.TimeOrdered needs.
const secretIDAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// newSecretID returns sec-, the time in 9 characters (36^9 milliseconds reach past the year
// 5000) and 11 random ones (about 57 bits, fresh every millisecond): time-ordered, so
// concurrent creates write the same few store pages.
func newSecretID(now time.Time) string {
	const timeWidth = 9
	return ids.TimeOrdered(apigsecret.IDPrefix, secretIDAlphabet, timeWidth, apigsecret.IDLen-timeWidth, now)
}

// The actions of a create's transaction, in order. The nonce comes first so a replay is
// reported as SignatureNonceUsed.
const (
	actionNonce  = 0
	actionSecret = 1
	actionName   = 2
)

// store seals secretData and writes the nonce, the secret and its name record in one store
// transaction: the name record is put only if absent, which is what makes names unique.
func (h *handler) store(ctx context.Context, c alibaba.Caller, req request) (string, error) {
	id := newSecretID(c.At)
	ref := apigsecret.Ref(c.Account, id)
	sealed, err := h.d.Sealer.Seal(ctx, apigsecret.Scope(c.Account), ref.AAD(), []byte(req.SecretData))
	if err != nil {
		return "", fmt.Errorf("createsecret: seal: %v", err)
	}
	secret := store.Record{Ref: ref, Attrs: attrs(req), Sealed: sealed, CreatedAt: c.At}
	name := store.Record{Ref: apigsecret.NameRef(c.Account, req.Name), Attrs: store.Attrs{apigsecret.AttrSecretID: id}, CreatedAt: c.At}
	if err := h.d.Store.Apply(ctx, store.Tx{c.SpendNonce(), {Put: &store.Put{Record: secret}}, {Put: &store.Put{Record: name}}}); err != nil {
		return "", storeFault(err, req.Name)
	}
	return id, nil
}

// attrs are the secret's non-secret fields as GetSecret returns them; empty ones are left out.
// secretData is never among them: it lives only in the sealed blob. The times are the record's
// own (CreatedAt, UpdatedAt).
func attrs(req request) store.Attrs {
	a := store.Attrs{apigsecret.AttrName: req.Name, apigsecret.AttrStatus: apigsecret.StatusEnabled}
	for k, v := range map[string]string{apigsecret.AttrDescription: req.Description, apigsecret.AttrGatewayType: req.GatewayType,
		apigsecret.AttrSecretSource: req.SecretSource, apigsecret.AttrKMSInstanceID: req.KMSConfig.InstanceID, apigsecret.AttrKMSKeyID: req.KMSConfig.KeyID} {
		if v != "" {
			a[k] = v
		}
	}
	return a
}

// storeFault turns the conflicts a create can meet into client faults (a spent nonce, a
// taken name) and anything else, a secretId collision included, into an internal error whose
// text is logged only. %v, not %w, so an unexpected error can never reach a response.
func storeFault(err error, name string) error {
	c := store.ConflictOf(err)
	switch {
	case c == nil:
	case c.Action == actionNonce && c.Reason == store.Exists:
		return alibaba.Replayed()
	case c.Action == actionName && c.Reason == store.Exists:
		return fault.Newf(fault.Exists, "name", "a secret named %q already exists", name).WithCode(codeNameDuplicate)
	}
	return fmt.Errorf("createsecret: store: %v", err)
}
