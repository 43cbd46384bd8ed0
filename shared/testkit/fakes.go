package testkit

import (
	"context"
	"errors"
	"sync/atomic"

	"keyport/shared/seal"
	"keyport/shared/store"
)

// ErrInjected is the failure the stand-ins inject by default. Its text looks like an internal
// detail (an address, a key ARN) so tests can check it never reaches a client.
var ErrInjected = errors.New("injected failure: backend unreachable at 10.0.0.1, key arn:aws:kms:eu-west-1:1:key/k")

// Sealer is the sealing half of *seal.Sealer, as handlers declare it.
type Sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// CountingSealer counts calls (each Seal is one KMS GenerateDataKey in production, each Open
// one Decrypt), so a test can prove a refused request never reached KMS. It fails every call
// with Err when Err is set, and passes it to Inner otherwise.
type CountingSealer struct {
	Inner                Sealer
	Err                  error
	SealCalls, OpenCalls atomic.Int64
}

// Seal counts the call, then fails with Err or seals with Inner.
func (c *CountingSealer) Seal(ctx context.Context, s seal.Scope, aad, plaintext []byte) ([]byte, error) {
	c.SealCalls.Add(1)
	if c.Err != nil {
		return nil, c.Err
	}
	return c.Inner.Seal(ctx, s, aad, plaintext)
}

// Open counts the call, then fails with Err or opens with Inner.
func (c *CountingSealer) Open(ctx context.Context, s seal.Scope, aad, blob []byte) ([]byte, error) {
	c.OpenCalls.Add(1)
	if c.Err != nil {
		return nil, c.Err
	}
	return c.Inner.Open(ctx, s, aad, blob)
}

// FailingStore fails every call with Err (ErrInjected when nil). Err may be a *store.Conflict,
// to show how an operation renders a conflict it does not expect.
type FailingStore struct{ Err error }

// Get fails.
func (f FailingStore) Get(context.Context, store.Ref) (store.Record, error) {
	return store.Record{}, orInjected(f.Err)
}

// List fails.
func (f FailingStore) List(context.Context, store.Query) (store.Page, error) {
	return store.Page{}, orInjected(f.Err)
}

// Count fails.
func (f FailingStore) Count(context.Context, store.Query) (int64, error) { return 0, orInjected(f.Err) }

// Apply fails.
func (f FailingStore) Apply(context.Context, store.Tx) error { return orInjected(f.Err) }

func orInjected(err error) error {
	if err == nil {
		return ErrInjected
	}
	return err
}
