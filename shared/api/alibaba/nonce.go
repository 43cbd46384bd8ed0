package alibaba

import (
	"context"
	"fmt"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// NonceRef is the ref of c's spent nonce: a record of c's account whose id is the AccessKeyId
// and the nonce, so each key has its own nonces. Both parts are restricted (acs3 and
// checkNonce) so that neither can contain a '/'.
func (c Caller) NonceRef() store.Ref {
	return store.Ref{Service: Service, Tenant: c.Account, Kind: "nonce", ID: c.AccessKeyID + "/" + c.Nonce}
}

// SpendNonce is the action an operation puts first in its transaction so that the nonce is
// spent in the same atomic write as the resource. The record expires when the request could
// no longer pass the date check, after which the store treats it as absent. A replay of a
// successful create is refused on the nonce and on the resource alike; the store reports the
// lowest refused action of a create, so first place makes it a replay.
func (c Caller) SpendNonce() store.Action {
	return store.Action{Put: &store.Put{Record: store.Record{Ref: c.NonceRef(), CreatedAt: c.At, ExpiresAt: c.NonceUntil}}}
}

// Replayed is the fault for a nonce the store found spent (SpendNonce's action refused with
// store.Exists).
func Replayed() *fault.Error { return replayed() }

// applier is the store call Spend makes.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

// Spend spends c's nonce in the store on its own, for an operation that writes nothing else (a
// read): a replay that reaches another instance, whose in-memory cache has not seen the nonce,
// is then refused as Replayed. Reads call it only once they know they will succeed, so a
// refused read writes nothing.
func (c Caller) Spend(ctx context.Context, st applier) error {
	err := st.Apply(ctx, store.Tx{c.SpendNonce()})
	if cf := store.ConflictOf(err); cf != nil && cf.Reason == store.Exists {
		return replayed()
	}
	if err != nil {
		return fmt.Errorf("alibaba: spend nonce: %w", err)
	}
	return nil
}
