package dynamostore_test

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/motoserver"
	"keyport/shared/store"
	"keyport/shared/store/dynamostore"
	"keyport/shared/store/dynamostore/dynamotest"
	"keyport/shared/store/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.Stop()
	os.Exit(code)
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return dynamotest.Open(t) })
}

// TestNew checks the store on the plain client, without the serializing wrapper.
func TestNew(t *testing.T) {
	ctx := context.Background()
	c := dynamotest.Client(t)
	s := dynamostore.New(c, dynamotest.FreshTable(t, c))
	r := store.Record{Ref: store.Ref{Service: "svc", Tenant: "t", Kind: "key", ID: "1"}, Sealed: []byte{1}}
	if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: r}}}); err != nil {
		t.Fatalf("Apply: got error %v, want nil", err)
	}
	if _, err := s.Get(ctx, r.Ref); err != nil {
		t.Errorf("Get: got error %v, want nil", err)
	}
	if p, err := s.List(ctx, store.Query{Service: "svc", Tenant: "t", Kind: "key"}); err != nil || len(p.Records) != 1 {
		t.Errorf("List: got %+v, %v; want the record", p, err)
	}
}

// TestCursorKeyShared checks that two stores on one table (two Lambda instances) agree on the
// cursor key: a cursor one issued pages on in the other.
func TestCursorKeyShared(t *testing.T) {
	ctx := context.Background()
	c := dynamotest.Client(t)
	table := dynamotest.FreshTable(t, c)
	a, b := dynamostore.New(c, table), dynamostore.New(c, table)
	var tx store.Tx
	for _, id := range []string{"1", "2"} {
		tx = append(tx, store.Action{Put: &store.Put{Record: store.Record{Ref: store.Ref{Service: "svc", Tenant: "t", Kind: "key", ID: id}}}})
	}
	if err := a.Apply(ctx, tx); err != nil {
		t.Fatal(err)
	}
	q := store.Query{Service: "svc", Tenant: "t", Kind: "key", Limit: 1}
	p, err := a.List(ctx, q)
	if err != nil || p.Next == "" {
		t.Fatalf("List on a: got %+v, %v; want a cursor", p, err)
	}
	q.Cursor = p.Next
	if p, err := b.List(ctx, q); err != nil || len(p.Records) != 1 || p.Records[0].ID != "2" {
		t.Errorf("List on b with a's cursor: got %+v, %v; want record 2", p, err)
	}
}

// TestCreateTableTwice checks that CreateTable accepts a table that exists, TTL included, and
// makes the pk/sk key schema.
func TestCreateTableTwice(t *testing.T) {
	c := dynamotest.Client(t)
	name := dynamotest.FreshTable(t, c)
	if err := dynamostore.CreateTable(context.Background(), c, name); err != nil {
		t.Fatalf("second CreateTable(%s): got error %v, want nil", name, err)
	}
	d, err := c.DescribeTimeToLive(context.Background(), &dynamodb.DescribeTimeToLiveInput{TableName: &name})
	if err != nil {
		t.Fatalf("DescribeTimeToLive: got error %v, want nil", err)
	}
	ttl := d.TimeToLiveDescription
	if ttl == nil || ttl.AttributeName == nil || *ttl.AttributeName != "expires_at" {
		t.Errorf("TTL: got %+v, want enabled on expires_at", ttl)
	}
	desc, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: &name})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]types.KeyType{"pk": types.KeyTypeHash, "sk": types.KeyTypeRange}
	ks := desc.Table.KeySchema
	if len(ks) != 2 || want[*ks[0].AttributeName] != ks[0].KeyType || want[*ks[1].AttributeName] != ks[1].KeyType {
		t.Errorf("key schema: got %+v, want pk HASH and sk RANGE", ks)
	}
}
