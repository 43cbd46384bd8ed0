package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// The conditions of a Create. A record may be written over an item whose TTL has passed but
// that DynamoDB has not deleted yet; "<=" (not "<") because a record expiring at second E is
// expired from the instant E on, as store.Record.Expired says.
const (
	putCondition     = "attribute_not_exists(#pk) OR #exp <= :now"
	counterUpdate    = "ADD #n :one"
	counterCondition = "attribute_not_exists(#n) OR #n < :limit"
)

// conflictAttempts bounds how often a Create is sent again when DynamoDB cancelled it only
// because another transaction was in flight on one of its items (TransactionConflict: nothing
// was written, and the SDK does not retry it). Under a burst on one quota counter this is the
// common case; each attempt is still one transaction. Backoff is jittered and short.
const (
	conflictAttempts = 8
	conflictBackoff  = 10 * time.Millisecond
)

// Create applies w in one TransactWriteItems call. A refused condition becomes fault.Exists
// (Field = the record key) or fault.LimitExceeded (Field = the counter key); a record conflict
// wins over the quota when both refuse. Every other failure is internal.
func (s *Store) Create(ctx context.Context, w store.Write) error {
	if err := checkWrite(w); err != nil {
		return err
	}
	if w.Counter != nil && w.Counter.Limit <= 0 {
		return limitFault(w.Counter.Key)
	}
	for attempt := 1; ; attempt++ {
		_, err := s.db.TransactWriteItems(ctx, s.transaction(w, s.now()))
		if err == nil {
			return nil
		}
		refused, conflict := classify(err, w)
		switch {
		case refused != nil:
			return refused
		case !conflict || attempt == conflictAttempts:
			return fmt.Errorf("dynamostore: create: %w", err)
		}
		if err := sleep(ctx, s.backoff*time.Duration(attempt)); err != nil {
			return fmt.Errorf("dynamostore: create: %w", err)
		}
	}
}

// transaction builds the items of one Create: a conditional Put per record, in order, then the
// counter's conditional Update. classify relies on that order.
func (s *Store) transaction(w store.Write, now time.Time) *dynamodb.TransactWriteItemsInput {
	items := make([]types.TransactWriteItem, 0, len(w.Records)+1)
	for _, r := range w.Records {
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName:                aws.String(s.table),
			Item:                     encodeItem(r),
			ConditionExpression:      aws.String(putCondition),
			ExpressionAttributeNames: map[string]string{"#pk": attrKey, "#exp": attrExpires},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":now": unixSeconds(now),
			},
		}})
	}
	if c := w.Counter; c != nil {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                aws.String(s.table),
			Key:                      keyOf(c.Key),
			UpdateExpression:         aws.String(counterUpdate),
			ConditionExpression:      aws.String(counterCondition),
			ExpressionAttributeNames: map[string]string{"#n": attrCounter},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":one":   number(1),
				":limit": number(c.Limit),
			},
		}})
	}
	return &dynamodb.TransactWriteItemsInput{TransactItems: items}
}

// classify reads a cancelled transaction's reasons, which DynamoDB lists in item order. It
// returns the client fault when a condition refused the Write, or reports whether the only
// trouble was a conflict with another transaction (worth sending again).
func classify(err error, w store.Write) (refused error, conflict bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	limited, other := false, false
	for i, r := range tce.CancellationReasons {
		switch code := aws.ToString(r.Code); {
		case code == "" || code == "None":
		case code == "TransactionConflict":
			conflict = true
		case code == "ConditionalCheckFailed" && i < len(w.Records):
			return existsFault(w.Records[i].Key), false
		case code == "ConditionalCheckFailed" && i == len(w.Records) && w.Counter != nil:
			limited = true
		default:
			other = true
		}
	}
	if limited {
		return limitFault(w.Counter.Key), false
	}
	return nil, conflict && !other
}

// sleep waits a jittered d (between d/2 and d), or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// checkWrite rejects Writes that are programming mistakes rather than client refusals; they
// stay internal. DynamoDB itself refuses two operations on one item in a transaction, and the
// embedded driver refuses the same, so both drivers agree.
func checkWrite(w store.Write) error {
	if len(w.Records) == 0 {
		return errors.New("dynamostore: write has no records")
	}
	seen := make(map[string]bool, len(w.Records)+1)
	for _, r := range w.Records {
		if r.Key == "" || seen[r.Key] {
			return fmt.Errorf("dynamostore: write has an empty or repeated key %q", r.Key)
		}
		seen[r.Key] = true
	}
	if c := w.Counter; c != nil && (c.Key == "" || seen[c.Key]) {
		return fmt.Errorf("dynamostore: counter key %q is empty or also a record key", c.Key)
	}
	return nil
}

func existsFault(key string) error {
	return fault.New(fault.Exists, key, "already exists")
}

func limitFault(key string) error {
	return fault.New(fault.LimitExceeded, key, "quota reached")
}
