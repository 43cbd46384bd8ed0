package gcoretask

import (
	"context"
	"fmt"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Sealer seals a secret's value.
type Sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Applier runs a store transaction.
type Applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

// CreateSecret is every Gcore create's write: a fresh secret id, the record record(id) returns
// with plaintext sealed into it, and the secret's finished create_secret task (both copies, see
// Task.Records), written in one transaction. It returns the task, whose id the client polls.
// Every failure is the server's: the ids are fresh (gcore.NewID), so nothing the client sent can
// conflict. Store errors come kinded by the restricted store; a seal error is flattened (%v) so
// no cause it wraps can become a client status.
func CreateSecret(ctx context.Context, st Applier, sealer Sealer, s gcore.Scope, now time.Time,
	record func(id string) store.Record, plaintext []byte) (Task, error) {
	secretID, err := gcore.NewID()
	if err != nil {
		return Task{}, fmt.Errorf("gcore create: secret id: %w", err)
	}
	task, err := New(ctx, TypeCreateSecret, s, now)
	if err != nil {
		return Task{}, err
	}
	task.Secrets = []string{secretID}
	secret := record(secretID)
	secret.Sealed, err = sealer.Seal(ctx, seal.Scope{Service: gcore.Service, Tenant: s.Tenant()}, secret.Ref.AAD(), plaintext)
	if err != nil {
		return Task{}, fmt.Errorf("gcore create: seal: %v", err)
	}
	tx := append(store.Tx{{Put: &store.Put{Record: secret}}}, task.Puts()...)
	if err := st.Apply(ctx, tx); err != nil {
		return Task{}, fmt.Errorf("gcore create: %w", err)
	}
	return task, nil
}
