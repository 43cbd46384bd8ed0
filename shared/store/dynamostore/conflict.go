package dynamostore

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
)

// classify reads a cancelled transaction's reasons, which DynamoDB lists in item order. The
// first failed condition becomes the conflict of its action; a cancellation only by other
// transactions in flight is worth sending again; anything else is internal.
func (p *plan) classify(ctx context.Context, tx store.Tx, err error) error {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return fmt.Errorf("dynamostore: apply: %w", err)
	}
	conflict, other := false, false
	for i, r := range tce.CancellationReasons {
		switch code := aws.ToString(r.Code); {
		case code == "" || code == "None":
		case code == "TransactionConflict":
			conflict = true
		case code == "ConditionalCheckFailed" && i < len(p.origins):
			return p.refused(ctx, tx, p.origins[i])
		default:
			other = true
		}
	}
	if conflict && !other {
		return errRetry
	}
	return fmt.Errorf("dynamostore: apply: %w", err)
}

// refused turns the failed condition of an item from o into the action's conflict.
func (p *plan) refused(ctx context.Context, tx store.Tx, o origin) error {
	switch o.role {
	case roleCreate:
		return &store.Conflict{Action: o.action, Claim: -1, Reason: store.Exists}
	case roleClaim:
		return &store.Conflict{Action: o.action, Claim: o.claim, Reason: store.Claimed}
	case roleCounter:
		if tx[o.action].Count.Delta > 0 {
			return &store.Conflict{Action: o.action, Claim: -1, Reason: store.AtLimit}
		}
		return &store.Conflict{Action: o.action, Claim: -1, Reason: store.AtZero}
	case roleReplace, roleRemove:
		return p.changed(ctx, tx, o)
	}
	return fmt.Errorf("dynamostore: apply: action %d: a claim of the record is held by another record", o.action)
}

// changed decides, by reading the record again, why a record's condition failed: it is gone
// (Missing), or at another version than the caller asked for (Stale). A Delete that asked for
// no version and lost only a race with an update is tried again.
func (p *plan) changed(ctx context.Context, tx store.Tx, o origin) error {
	a := tx[o.action]
	var ref store.Ref
	var ifVersion int64
	switch {
	case a.Put != nil:
		ref, ifVersion = a.Put.Record.Ref, a.Put.IfVersion
	case a.Update != nil:
		ref, ifVersion = a.Update.Ref, a.Update.IfVersion
	default:
		ref, ifVersion = a.Delete.Ref, a.Delete.IfVersion
	}
	item, err := p.s.getItem(ctx, keyOf(ref))
	if err != nil {
		return fmt.Errorf("dynamostore: apply: read: %w", err)
	}
	switch {
	case !isLiveRecord(item, p.s.now()):
		return &store.Conflict{Action: o.action, Claim: -1, Reason: store.Missing}
	case ifVersion != 0:
		return &store.Conflict{Action: o.action, Claim: -1, Reason: store.Stale}
	case o.role == roleRemove:
		return errRetry
	}
	// An unversioned Update refused while the record is live again: it was missing when the
	// transaction ran.
	return &store.Conflict{Action: o.action, Claim: -1, Reason: store.Missing}
}
