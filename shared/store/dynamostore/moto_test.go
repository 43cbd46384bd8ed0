package dynamostore

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// serialized passes calls to moto one at a time.
//
// Why: moto 5.2.1 does not isolate TransactWriteItems. Its server is threaded and its
// DynamoDB backend has no lock: a transaction checks each condition and then writes, and on
// cancellation restores a deep copy of the whole table taken before it started, which also
// wipes writes that concurrent transactions made meanwhile. With 32 racers on one quota
// counter it admits 9–12 creates for a limit of 8 and leaves records of refused creates
// behind. Real DynamoDB isolates transactions (serializable) and cancels overlapping ones with
// TransactionConflict, which Create retries. Serializing the calls gives the concurrency tests
// the isolation moto lacks; they still check that the driver's conditions admit exactly one
// winner per key and exactly Limit creates per counter.
type serialized struct {
	mu sync.Mutex
	db api
}

func (s *serialized) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.TransactWriteItems(ctx, in, opts...)
}

func (s *serialized) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.GetItem(ctx, in, opts...)
}

func (s *serialized) Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.Scan(ctx, in, opts...)
}
