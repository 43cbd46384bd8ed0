package dynamostore

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// faulty is a DynamoDB that fails TransactWriteItems with the queued errors, in order, and
// succeeds once they run out. It records every transaction it was sent.
type faulty struct {
	errs []error
	sent []*dynamodb.TransactWriteItemsInput
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

func TestCreateFaults(t *testing.T) {
	const secret = "sealed-secret-value"
	w := store.Write{
		Records: []store.Record{
			{Key: "svc/key/a", Sealed: []byte(secret)},
			{Key: "svc/name/a", Sealed: []byte(secret)},
		},
		Counter: &store.Counter{Key: "svc/count/a", Limit: 5},
	}
	tests := []struct {
		name      string
		errs      []error
		wantKind  fault.Kind
		wantField string
		wantErr   bool
		wantCalls int
	}{
		{"throttled is internal, not exists", []error{throttled()}, fault.Internal, "", true, 1},
		{"cancelled by throttling is internal", []error{cancelled("None", "ThrottlingError", "None")}, fault.Internal, "", true, 1},
		{"first record exists", []error{cancelled("ConditionalCheckFailed", "None", "None")}, fault.Exists, "svc/key/a", true, 1},
		{"second record exists", []error{cancelled("None", "ConditionalCheckFailed", "None")}, fault.Exists, "svc/name/a", true, 1},
		{"counter at limit", []error{cancelled("None", "None", "ConditionalCheckFailed")}, fault.LimitExceeded, "svc/count/a", true, 1},
		{"exists wins over limit", []error{cancelled("None", "ConditionalCheckFailed", "ConditionalCheckFailed")}, fault.Exists, "svc/name/a", true, 1},
		{"exists wins over conflict", []error{cancelled("TransactionConflict", "ConditionalCheckFailed", "None")}, fault.Exists, "svc/name/a", true, 1},
		{"conflict is sent again", []error{cancelled("None", "None", "TransactionConflict"), cancelled("TransactionConflict", "None", "None")}, 0, "", false, 3},
		{"conflict with throttling is internal", []error{cancelled("TransactionConflict", "ThrottlingError", "None")}, fault.Internal, "", true, 1},
		{"endless conflict is internal", repeat(cancelled("None", "None", "TransactionConflict"), conflictAttempts+1), fault.Internal, "", true, conflictAttempts},
		{"cancelled without reasons is internal", []error{cancelled()}, fault.Internal, "", true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &faulty{errs: tt.errs}
			s := New(db, "t")
			s.backoff = 0
			err := s.Create(context.Background(), w)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Create: got error %v, want error %v", err, tt.wantErr)
			}
			if got := len(db.sent); got != tt.wantCalls {
				t.Errorf("TransactWriteItems calls: got %d, want %d", got, tt.wantCalls)
			}
			if err == nil {
				return
			}
			if f := fault.As(err); f.Kind != tt.wantKind || f.Field != tt.wantField {
				t.Errorf("Create: got %s on %q (%v), want %s on %q", f.Kind, f.Field, err, tt.wantKind, tt.wantField)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Create error %q contains the sealed value", err)
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

// TestTransactionShape pins the one transaction a Create sends: a conditional Put per record,
// then the counter's conditional ADD.
func TestTransactionShape(t *testing.T) {
	db := &faulty{}
	w := store.Write{
		Records: []store.Record{{Key: "svc/key/a"}, {Key: "svc/name/a"}},
		Counter: &store.Counter{Key: "svc/count/a", Limit: 500},
	}
	if err := New(db, "tbl").Create(context.Background(), w); err != nil {
		t.Fatalf("Create: got error %v, want nil", err)
	}
	if len(db.sent) != 1 {
		t.Fatalf("TransactWriteItems calls: got %d, want 1", len(db.sent))
	}
	items := db.sent[0].TransactItems
	if len(items) != 3 {
		t.Fatalf("transaction items: got %d, want 3", len(items))
	}
	for i, r := range w.Records {
		p := items[i].Put
		if p == nil || aws.ToString(p.ConditionExpression) != putCondition || aws.ToString(p.TableName) != "tbl" {
			t.Fatalf("item %d: got %+v, want a conditional Put on tbl", i, items[i])
		}
		if k, _ := str(p.Item, attrKey); k != r.Key {
			t.Errorf("item %d: got pk %q, want %q", i, k, r.Key)
		}
	}
	u := items[2].Update
	if u == nil || aws.ToString(u.UpdateExpression) != counterUpdate || aws.ToString(u.ConditionExpression) != counterCondition {
		t.Fatalf("item 2: got %+v, want the counter's conditional ADD", items[2])
	}
	if got := u.ExpressionAttributeValues[":limit"].(*types.AttributeValueMemberN).Value; got != "500" {
		t.Errorf(":limit: got %s, want 500", got)
	}
}

func TestReadFaultsAreInternal(t *testing.T) {
	s := New(&faulty{}, "t")
	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Get", func(ctx context.Context) error { _, err := s.Get(ctx, "svc/key/a"); return err }},
		{"Count", func(ctx context.Context) error { _, err := s.Count(ctx); return err }},
		{"CounterValue", func(ctx context.Context) error { _, err := s.CounterValue(ctx, "svc/count/a"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(context.Background())
			var api smithy.APIError
			if err == nil || fault.IsClient(err) || !errors.As(err, &api) {
				t.Errorf("got %v, want an internal error wrapping the API error", err)
			}
		})
	}
}
