package apigsecret

import (
	"context"
	"fmt"

	"keyport/shared/api/alibaba"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Scope is the seal scope of account's secret values.
func Scope(account string) seal.Scope { return seal.Scope{Service: alibaba.Service, Tenant: account} }

// The first actions of a write to an existing secret (update, delete). The nonce comes first so
// a replay of a write that succeeded is reported as SignatureNonceUsed.
const (
	ActionNonce  = 0
	ActionSecret = 1
)

// WriteFault turns the conflicts of a write to secret id (a transaction whose first actions are
// ActionNonce and ActionSecret) into answers: a spent nonce; a secret deleted since it was read
// (a racing delete won an update or delete). Anything else, such as a create's id collision,
// is internal: the store error (already one of the store's kinds, none of them a client fault)
// wrapped with op, logged only.
func WriteFault(op string, err error, id string) error {
	c := store.ConflictOf(err)
	switch {
	case err == nil:
		return nil
	case c == nil:
	case c.Action == ActionNonce && c.Reason == store.Exists:
		return alibaba.Replayed()
	case c.Action == ActionSecret && c.Reason == store.Missing:
		return NotFoundID(id)
	}
	return fmt.Errorf("%s: store: %w", op, err)
}

// getApplier is the store calls of a read that spends the request's nonce.
type getApplier interface {
	getter
	Apply(ctx context.Context, tx store.Tx) error
}

// GetSpent is a read-only operation's lookup: c's account's secret id (see Get), then c's nonce
// spent, so only a read that succeeds uses up its nonce.
func GetSpent(ctx context.Context, st getApplier, c alibaba.Caller, id string) (store.Record, error) {
	rec, err := Get(ctx, st, c.Account, id)
	if err != nil {
		return store.Record{}, err
	}
	return rec, c.Spend(ctx, st)
}
