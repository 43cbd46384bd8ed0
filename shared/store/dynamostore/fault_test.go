package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"keyport/shared/store"
)

// faulty is a DynamoDB that fails TransactWriteItems with the queued errors, in order, and
// succeeds once they run out. It records every transaction it was sent. GetItem returns item
// (when set); every other call is throttled.
type faulty struct {
	errs []error
	sent []*dynamodb.TransactWriteItemsInput
	item map[string]types.AttributeValue
}

func (f *faulty) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.sent = append(f.sent, in)
	if len(f.errs) == 0 {
		return &dynamodb.TransactWriteItemsOutput{}, nil
	}
	err := f.errs[0]
	f.errs = f.errs[1:]
	return nil, err
}

func (f *faulty) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if f.item != nil {
		return &dynamodb.GetItemOutput{Item: f.item}, nil
	}
	return nil, throttled()
}

func (f *faulty) PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return nil, throttled()
}

func (f *faulty) BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	return nil, throttled()
}

func (f *faulty) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return nil, throttled()
}

func (f *faulty) Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	return nil, throttled()
}

func throttled() error {
	return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate of requests exceeds the allowed throughput."}
}

// cancelled is a TransactionCanceledException with one reason code per transaction item.
func cancelled(codes ...string) error {
	reasons := make([]types.CancellationReason, len(codes))
	for i, c := range codes {
		reasons[i] = types.CancellationReason{Code: aws.String(c)}
	}
	return &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
}

const secret = "sealed-secret-value"

var (
	keyRef     = store.Ref{Service: "svc", Tenant: "acct", Kind: "key", ID: "a"}
	nameRef    = store.Ref{Service: "svc", Tenant: "acct", Kind: "name", ID: "a"}
	counterRef = store.Ref{Service: "svc", Tenant: "acct", Kind: "counter", ID: "keys"}
)

// createTx is a create as the handlers send it: a record holding a claim (items 0 and 1) and
// a quota increment (item 2).
func createTx() store.Tx {
	return store.Tx{
		{Put: &store.Put{Record: store.Record{Ref: keyRef, Sealed: []byte(secret), Claims: []store.Ref{nameRef}}}},
		{Count: &store.Count{Ref: counterRef, Delta: 1, Limit: 5}},
	}
}

func TestApplyFaults(t *testing.T) {
	exists := &store.Conflict{Action: 0, Claim: -1, Reason: store.Exists}
	tests := []struct {
		name      string
		errs      []error
		want      *store.Conflict
		wantErr   bool
		wantCalls int
	}{
		{"throttled is internal", []error{throttled()}, nil, true, 1},
		{"cancelled by throttling is internal", []error{cancelled("None", "ThrottlingError", "None")}, nil, true, 1},
		{"record exists", []error{cancelled("ConditionalCheckFailed", "None", "None")}, exists, true, 1},
		{"name claimed", []error{cancelled("None", "ConditionalCheckFailed", "None")}, &store.Conflict{Action: 0, Claim: 0, Reason: store.Claimed}, true, 1},
		{"counter at limit", []error{cancelled("None", "None", "ConditionalCheckFailed")}, &store.Conflict{Action: 1, Claim: -1, Reason: store.AtLimit}, true, 1},
		{"first refusal wins", []error{cancelled("ConditionalCheckFailed", "ConditionalCheckFailed", "ConditionalCheckFailed")}, exists, true, 1},
		{"refusal wins over conflict", []error{cancelled("TransactionConflict", "None", "ConditionalCheckFailed")}, &store.Conflict{Action: 1, Claim: -1, Reason: store.AtLimit}, true, 1},
		{"conflict is sent again", []error{cancelled("None", "None", "TransactionConflict"), cancelled("TransactionConflict", "None", "None")}, nil, false, 3},
		{"conflict with throttling is internal", []error{cancelled("TransactionConflict", "ThrottlingError", "None")}, nil, true, 1},
		{"endless conflict is internal", repeat(cancelled("None", "None", "TransactionConflict"), conflictAttempts+1), nil, true, conflictAttempts},
		{"cancelled without reasons is internal", []error{cancelled()}, nil, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &faulty{errs: tt.errs}
			s := New(db, "t")
			s.backoff = 0
			err := s.Apply(context.Background(), createTx())
			if (err != nil) != tt.wantErr {
				t.Fatalf("Apply: got error %v, want error %v", err, tt.wantErr)
			}
			if got := len(db.sent); got != tt.wantCalls {
				t.Errorf("TransactWriteItems calls: got %d, want %d", got, tt.wantCalls)
			}
			if c := store.ConflictOf(err); (c == nil) != (tt.want == nil) || (c != nil && *c != *tt.want) {
				t.Errorf("Apply: got %v, want conflict %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("Apply error %q contains the sealed value", err)
			}
		})
	}
}

func repeat(err error, n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// TestTransactionShape pins the one transaction a create sends: the record's conditional Put,
// its claim's conditional Put naming the owner, then the counter's conditional ADD.
func TestTransactionShape(t *testing.T) {
	db := &faulty{}
	if err := New(db, "tbl").Apply(context.Background(), createTx()); err != nil {
		t.Fatalf("Apply: got error %v, want nil", err)
	}
	if len(db.sent) != 1 || len(db.sent[0].TransactItems) != 3 {
		t.Fatalf("got %d transactions, want 1 of 3 items", len(db.sent))
	}
	items := db.sent[0].TransactItems
	rec, claim, counter := items[0].Put, items[1].Put, items[2].Update
	if rec == nil || claim == nil || counter == nil {
		t.Fatalf("got items %+v, want Put, Put, Update", items)
	}
	for i, tt := range []struct {
		item   map[string]types.AttributeValue
		pk, sk string
		typ    string
	}{
		{rec.Item, "svc#acct", "key#a", typeRecord},
		{claim.Item, "svc#acct", "name#a", typeClaim},
		{counter.Key, "svc#acct", "counter#keys", ""},
	} {
		pk, _ := str(tt.item, attrPK)
		sk, _ := str(tt.item, attrSK)
		typ, _ := str(tt.item, attrType)
		if pk != tt.pk || sk != tt.sk || typ != tt.typ {
			t.Errorf("item %d: got %s/%s (%s), want %s/%s (%s)", i, pk, sk, typ, tt.pk, tt.sk, tt.typ)
		}
	}
	if owner, _ := str(claim.Item, attrOwnerSK); owner != "key#a" {
		t.Errorf("claim owner: got %q, want key#a", owner)
	}
	for i, c := range []*string{rec.ConditionExpression, claim.ConditionExpression, counter.ConditionExpression} {
		if aws.ToString(c) == "" {
			t.Errorf("item %d has no condition", i)
		}
	}
	if u := aws.ToString(counter.UpdateExpression); !strings.HasPrefix(u, "ADD ") {
		t.Errorf("counter update: got %q, want an ADD", u)
	}
}

// TestDeleteReleasesClaims checks that a Delete reads the record and sends its delete at the
// version read, with a conditional delete of each claim it holds.
func TestDeleteReleasesClaims(t *testing.T) {
	item, err := encodeRecord(store.Record{Ref: keyRef, Claims: []store.Ref{nameRef}}, 7, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	db := &faulty{item: item}
	if err := New(db, "tbl").Apply(context.Background(), store.Tx{{Delete: &store.Delete{Ref: keyRef}}}); err != nil {
		t.Fatalf("Apply: got error %v, want nil", err)
	}
	items := db.sent[0].TransactItems
	if len(items) != 2 || items[0].Delete == nil || items[1].Delete == nil {
		t.Fatalf("got items %+v, want two Deletes", items)
	}
	if v := items[0].Delete.ExpressionAttributeValues[":v0"].(*types.AttributeValueMemberN).Value; v != "7" {
		t.Errorf("delete condition version: got %s, want 7", v)
	}
	if sk, _ := str(items[1].Delete.Key, attrSK); sk != "name#a" {
		t.Errorf("second delete: got sk %q, want the claim name#a", sk)
	}
	// Stale and missing are found by the read, before any transaction is sent.
	db.sent = nil
	err = New(db, "tbl").Apply(context.Background(), store.Tx{{Delete: &store.Delete{Ref: keyRef, IfVersion: 6}}})
	if c := store.ConflictOf(err); c == nil || c.Reason != store.Stale || len(db.sent) != 0 {
		t.Errorf("Delete at version 6: got %v after %d sends, want Stale and none", err, len(db.sent))
	}
}

// TestTooManyItems checks that a transaction over DynamoDB's item limit is refused as an
// internal error before it is sent.
func TestTooManyItems(t *testing.T) {
	claims := make([]store.Ref, maxItems)
	for i := range claims {
		claims[i] = store.Ref{Service: "svc", Kind: "name", ID: fmt.Sprint(i)}
	}
	db := &faulty{}
	err := New(db, "t").Apply(context.Background(), store.Tx{{Put: &store.Put{Record: store.Record{Ref: keyRef, Claims: claims}}}})
	if err == nil || store.ConflictOf(err) != nil || len(db.sent) != 0 {
		t.Errorf("Apply of %d items: got %v after %d sends, want an internal error and none", maxItems+1, err, len(db.sent))
	}
}

func TestNotUTF8IsInternal(t *testing.T) {
	db := &faulty{}
	bad := store.Ref{Service: "svc", Tenant: "\xff", Kind: "key", ID: "a"}
	err := New(db, "t").Apply(context.Background(), store.Tx{{Put: &store.Put{Record: store.Record{Ref: bad}}}})
	if err == nil || store.ConflictOf(err) != nil || len(db.sent) != 0 {
		t.Errorf("Apply: got %v after %d sends, want an internal error and none", err, len(db.sent))
	}
}

func TestReadFaultsAreInternal(t *testing.T) {
	s := New(&faulty{}, "t")
	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Get", func(ctx context.Context) error { _, err := s.Get(ctx, keyRef); return err }},
		{"List", func(ctx context.Context) error {
			_, err := s.List(ctx, store.Query{Service: "svc", Tenant: "acct", Kind: "key"})
			return err
		}},
		{"Delete", func(ctx context.Context) error { return s.Apply(ctx, store.Tx{{Delete: &store.Delete{Ref: keyRef}}}) }},
		{"CountRecords", func(ctx context.Context) error { _, err := s.CountRecords(ctx); return err }},
		{"CounterValue", func(ctx context.Context) error { _, err := s.CounterValue(ctx, counterRef); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(context.Background())
			var api smithy.APIError
			if err == nil || store.ConflictOf(err) != nil || !errors.As(err, &api) {
				t.Errorf("got %v, want an internal error wrapping the API error", err)
			}
		})
	}
}
