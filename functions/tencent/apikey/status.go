package apikey

import (
	"context"
	"time"

	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
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

// StatusDeps is what EnableApiKey and DisableApiKey need. Now nil means time.Now.
type StatusDeps struct {
	Store GetApplier
	Creds *credentials.Book
	Now   func() time.Time
}

// StatusAction is the action name (EnableApiKey or DisableApiKey): it puts the key its
// AccessKeyId names in status with SetStatus and answers Result: true.
func StatusAction(name, status string, d StatusDeps) tencent.Action {
	if d.Now == nil {
		d.Now = time.Now
	}
	return Action(name, func(ctx context.Context, c tencent.Call) (any, error) {
		id, err := DecodeID(c.Body)
		if err != nil {
			return nil, err
		}
		if err := SetStatus(ctx, d.Store, c.Account, id, status, d.Now()); err != nil {
			return nil, err
		}
		return BoolResult{Result: true}, nil
	})
}
