package apikey

import (
	"context"
	"errors"
	"fmt"
	"time"

	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// CodeNotFound is the code every key action documents for a key that does not exist.
const CodeNotFound = "ResourceNotFound.InvalidAccessKeyId"

// Getter reads one record.
type Getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// GetApplier reads and writes records.
type GetApplier interface {
	Getter
	Apply(ctx context.Context, tx store.Tx) error
}

// Opener opens a sealed secret.
type Opener interface {
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// NotFound is the answer for a key that is unknown, deleted, or another account's: the three
// are indistinguishable on purpose.
func NotFound(id string) error {
	return fault.Newf(fault.NotFound, "", "The API key %s does not exist.", id).WithCode(CodeNotFound)
}

// Get reads the signing account's key id. A key of another account is not found: the record's
// ref holds the account, so it is never read.
func Get(ctx context.Context, st Getter, account, id string) (store.Record, error) {
	rec, err := st.Get(ctx, RecordRef(account, id))
	if errors.Is(err, store.ErrNotFound) {
		return rec, NotFound(id)
	}
	if err != nil {
		return rec, fmt.Errorf("apikey: get: %w", err)
	}
	audit.SetResource(ctx, id) // every action on one key finds it here
	return rec, nil
}

// Open returns rec's secret.
func Open(ctx context.Context, o Opener, rec store.Record) (string, error) {
	pt, err := o.Open(ctx, Scope(rec.Tenant), rec.Ref.AAD(), rec.Sealed)
	if err != nil {
		return "", fmt.Errorf("apikey: open: %v", err) // %v: a KMS error never renders as a client fault
	}
	return string(pt), nil
}

// Render reads and opens the account's key id as Tencent's ApiKey.
func Render(ctx context.Context, st Getter, o Opener, account, id string) (APIKey, error) {
	rec, err := Get(ctx, st, account, id)
	if err != nil {
		return APIKey{}, err
	}
	secret, err := Open(ctx, o, rec)
	if err != nil {
		return APIKey{}, err
	}
	return FromRecord(rec, secret), nil
}

// maxRounds bounds the read-check-write rounds of one request. Each round that loses does so
// because another write to the same key committed, so rounds run out only under a sustained
// burst of writes to one key; the request then fails as an internal error the client retries.
const maxRounds = 64

// Conditional runs round (a read, a check, and a write conditioned on the version read) until
// it is not refused as stale: a write made between the read and the write is never
// overwritten, and the check always holds for the version written. A write refused because
// the key has gone meanwhile is reported as NotFound(id).
func Conditional(ctx context.Context, id string, round func() error) error {
	for i := 1; ; i++ {
		err := round()
		c := store.ConflictOf(err)
		switch {
		case c != nil && c.Reason == store.Missing:
			return NotFound(id)
		case c != nil && c.Reason == store.Stale && i < maxRounds && ctx.Err() == nil:
			continue
		}
		return err
	}
}

// SetStatus puts the account's key id in status (StatusEnabled or StatusDisabled) and moves its
// ModifiedTime to now. A key already in that status is left as it is, ModifiedTime included:
// enabling an enabled key (or disabling a disabled one) succeeds without changing anything, as
// a retried request must.
func SetStatus(ctx context.Context, st GetApplier, account, id, status string, now time.Time) error {
	return Conditional(ctx, id, func() error {
		rec, err := Get(ctx, st, account, id)
		if err != nil || rec.Attrs.String(AttrStatus) == status {
			return err
		}
		return st.Apply(ctx, store.Tx{{Update: &store.Update{
			Ref: rec.Ref, IfVersion: rec.Version, At: now,
			Set: store.Attrs{AttrStatus: status, AttrModifiedTime: now.UTC().Format(TimeLayout)},
		}}})
	})
}

// BoolResult is the response of the actions that answer Result: true (EnableApiKey,
// DisableApiKey, DeleteApiKey).
type BoolResult struct {
	Result bool `json:"Result"`
}

// Done is BoolResult{Result: true}.
var Done = BoolResult{Result: true}
