// Package dynamostore is the store.Store driver for AWS: one DynamoDB table keyed by pk (hash)
// and sk (range), holding records, claims and quota counters side by side.
//
// Layout: a ref's pk is Service + "#" + Tenant and its sk is Kind + "#" + ID, so the records
// of one (service, tenant, kind) share a partition and an sk prefix, and a List is a Query on
// pk with begins_with(sk, Kind + "#" + Prefix), in ascending byte order of ID, never a Scan. A
// claim is an item at the claim's ref naming its owner record (owner_pk, owner_sk) and expiring
// with it; a counter is an item holding n. The attribute type tells records, claims, counters
// and the meta item (the paging cursor key, pk "keyport#meta", sk "cursor-key") apart.
//
// Every Apply is one TransactWriteItems call, so uniqueness and quotas are enforced by
// DynamoDB's conditions: a Put is a conditional Put of the record (absent or expired, or at
// the expected version) and of each claim (absent, expired, or already this record's); an
// Update is a conditional UpdateItem; a Count a conditional ADD. A Delete must release its
// record's claims, so the driver first reads the record (consistently), then deletes it on
// condition that its version is still the one read, together with each claim it owns; a
// versioned Put reads the record too, to release the claims the new version drops.
//
// Records of an indexed kind (store.DeclareIndex) also carry the sort keys of two sparse local
// indexes, by creation and by expiry, and move a tally item of their collection in the same
// transaction, so a page in creation order reads O(limit) index entries and a Count reads no
// record (index.go).
//
// Expiry uses the table's TTL attribute expires_at; because DynamoDB deletes expired items
// lazily (up to days later), every read and every condition also compare it with the current
// time. Keys are DynamoDB strings, so a ref's Tenant and ID must be valid UTF-8.
package dynamostore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
)

// API is the part of the DynamoDB client the store calls. *dynamodb.Client satisfies it; tests
// substitute a fault-injecting fake or a wrapper (see dynamotest).
type API interface {
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// Store is a store.Store on one DynamoDB table. It is safe for concurrent use.
type Store struct {
	db      API
	table   string
	now     func() time.Time
	backoff time.Duration // base wait before resending a conflicted transaction

	keyMu     sync.Mutex
	cursorKey []byte // loaded (or created) on first List
}

// New returns a store on table, which must have the layout CreateTable makes.
func New(client API, table string) *Store {
	return &Store{db: client, table: table, now: time.Now, backoff: conflictBackoff}
}

// getItem reads the item at key consistently; nil when there is none.
func (s *Store) getItem(ctx context.Context, key map[string]types.AttributeValue) (map[string]types.AttributeValue, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key,
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	return out.Item, nil
}

// Get returns the live record at ref, or store.ErrNotFound when it is missing, expired, or not
// a record. It reads consistently, so a record is visible as soon as its Apply returned.
func (s *Store) Get(ctx context.Context, ref store.Ref) (store.Record, error) {
	if err := checkKeys(ref); err != nil {
		return store.Record{}, err
	}
	item, err := s.getItem(ctx, keyOf(ref))
	if err != nil {
		return store.Record{}, fmt.Errorf("dynamostore: get: %w", err)
	}
	if !isLiveRecord(item, s.now()) {
		return store.Record{}, store.ErrNotFound
	}
	return decodeRecord(item)
}
