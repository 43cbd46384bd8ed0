package apikey

import (
	"context"
	"time"

	"keyport/functions/tencent/createapikey"
	"keyport/shared/store"
)

// GetApplier reads and writes records.
type GetApplier interface {
	Getter
	Apply(ctx context.Context, tx store.Tx) error
}

// SetStatus puts the account's key id in status (createapikey.StatusEnabled or
// StatusDisabled) and moves its ModifiedTime to now. A key already in that status is left as
// it is, ModifiedTime included: enabling an enabled key (or disabling a disabled one) succeeds
// without changing anything, as a retried request must.
func SetStatus(ctx context.Context, st GetApplier, account, id, status string, now time.Time) error {
	return Conditional(ctx, id, func() error {
		rec, err := Get(ctx, st, account, id)
		if err != nil || rec.Attrs.String(createapikey.AttrStatus) == status {
			return err
		}
		return st.Apply(ctx, store.Tx{{Update: &store.Update{
			Ref: rec.Ref, IfVersion: rec.Version, At: now,
			Set: store.Attrs{createapikey.AttrStatus: status, createapikey.AttrModifiedTime: now.UTC().Format(createapikey.TimeLayout)},
		}}})
	})
}

// BoolResult is the response of the actions that answer Result: true.
type BoolResult struct {
	Result bool `json:"Result"`
}
