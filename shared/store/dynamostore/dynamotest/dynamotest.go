// Package dynamotest opens DynamoDB stores on a real DynamoDB API (moto_server on loopback) for
// tests, so every rule that rests on the store's conditions runs on both drivers.
package dynamotest

import (
	"context"
	"crypto/rand"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"keyport/shared/motoserver"
	"keyport/shared/store/dynamostore"
)

// Open returns a store on a fresh table of the test binary's moto server, through Serialized.
func Open(t testing.TB) *dynamostore.Store {
	t.Helper()
	c := Client(t)
	return dynamostore.New(&Serialized{DB: c}, FreshTable(t, c))
}

// Client returns a DynamoDB client aimed at the test binary's moto server.
func Client(t testing.TB) *dynamodb.Client {
	t.Helper()
	return dynamodb.NewFromConfig(motoserver.AWSConfig(motoserver.Start(t)))
}

// FreshTable creates a table no other test uses, so a reused moto server
// (KEYPORT_MOTO_ENDPOINT) never leaks state between tests or runs.
func FreshTable(t testing.TB, c *dynamodb.Client) string {
	t.Helper()
	name := "keyport-test-" + strings.ToLower(rand.Text())
	if err := dynamostore.CreateTable(context.Background(), c, name); err != nil {
		t.Fatalf("CreateTable(%s): got error %v, want nil", name, err)
	}
	return name
}

// Serialized passes calls to moto one at a time.
//
// Why: moto 5.2.1 does not isolate TransactWriteItems. Its server is threaded and its
// DynamoDB backend has no lock: a transaction checks each condition and then writes, and on
// cancellation restores a deep copy of the whole table taken before it started, which also
// wipes writes that concurrent transactions made meanwhile. With 32 racers on one quota
// counter it admits 9–12 creates for a limit of 8 and leaves records of refused creates
// behind. Real DynamoDB isolates transactions (serializable) and cancels overlapping ones with
// TransactionConflict, which Apply retries. Serializing the calls gives the concurrency tests
// the isolation moto lacks; they still check that the driver's conditions admit exactly one
// winner per key and exactly Limit creates per counter.
type Serialized struct {
	mu sync.Mutex
	DB dynamostore.API
}

func (s *Serialized) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.DB.TransactWriteItems(ctx, in, opts...)
}

func (s *Serialized) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.DB.GetItem(ctx, in, opts...)
}

func (s *Serialized) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.DB.PutItem(ctx, in, opts...)
}

func (s *Serialized) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.DB.BatchGetItem(ctx, in, opts...)
}

func (s *Serialized) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.DB.Query(ctx, in, opts...)
}

func (s *Serialized) Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.DB.Scan(ctx, in, opts...)
}
