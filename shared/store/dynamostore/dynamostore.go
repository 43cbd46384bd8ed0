// Package dynamostore is the store.Store driver for AWS: one DynamoDB table, keyed by `pk`,
// holding records and quota counters side by side.
//
// Every Create is one TransactWriteItems call, so uniqueness and quotas are enforced by
// DynamoDB itself: a conditional Put per record (absent or expired) and, for a quota, a
// conditional `ADD n :one` on the counter item. Expiry uses the table's TTL attribute
// `expires_at`; because DynamoDB deletes expired items lazily (up to days later), every read
// and the absence check also compare expires_at with the current time.
package dynamostore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// API is the part of the DynamoDB client the store calls. *dynamodb.Client satisfies it; tests
// substitute a fault-injecting fake or a wrapper (see dynamotest).
type API interface {
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// Store is a store.Store on one DynamoDB table. It is safe for concurrent use.
type Store struct {
	db      API
	table   string
	now     func() time.Time
	backoff time.Duration // base wait before resending a conflicted transaction
}

var _ store.Store = (*Store)(nil)

// New returns a store on table, which must have the layout CreateTable makes.
func New(client API, table string) *Store {
	return &Store{db: client, table: table, now: time.Now, backoff: conflictBackoff}
}

// Get returns the live record at key, or fault.NotFound when it is missing, expired or a
// counter. It reads consistently, so a record is visible as soon as its Create returned.
func (s *Store) Get(ctx context.Context, key string) (store.Record, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            keyOf(key),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return store.Record{}, fmt.Errorf("dynamostore: get: %w", err)
	}
	if out.Item == nil || isCounter(out.Item) {
		return store.Record{}, notFound(key)
	}
	rec, err := decodeItem(out.Item)
	if err != nil {
		return store.Record{}, err
	}
	if rec.Expired(s.now()) {
		return store.Record{}, notFound(key)
	}
	return rec, nil
}

// Count returns the number of live records, scanning the whole table (consistently, page by
// page). It is meant for tests and operators, not for request paths.
func (s *Store) Count(ctx context.Context) (int, error) {
	in := &dynamodb.ScanInput{
		TableName:                aws.String(s.table),
		ConsistentRead:           aws.Bool(true),
		Select:                   types.SelectCount,
		FilterExpression:         aws.String("attribute_not_exists(#n) AND (attribute_not_exists(#exp) OR #exp > :now)"),
		ExpressionAttributeNames: map[string]string{"#n": attrCounter, "#exp": attrExpires},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": unixSeconds(s.now()),
		},
	}
	total := 0
	for p := dynamodb.NewScanPaginator(s.db, in); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("dynamostore: count: %w", err)
		}
		total += int(page.Count)
	}
	return total, nil
}

// CounterValue returns the counter at key, 0 when it was never incremented.
func (s *Store) CounterValue(ctx context.Context, key string) (int64, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:                aws.String(s.table),
		Key:                      keyOf(key),
		ConsistentRead:           aws.Bool(true),
		ProjectionExpression:     aws.String("#n"),
		ExpressionAttributeNames: map[string]string{"#n": attrCounter},
	})
	if err != nil {
		return 0, fmt.Errorf("dynamostore: counter: %w", err)
	}
	n, ok := out.Item[attrCounter].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("dynamostore: counter %q holds %q: %w", key, n.Value, err)
	}
	return v, nil
}

func notFound(key string) error {
	return fault.New(fault.NotFound, key, "no such record")
}
