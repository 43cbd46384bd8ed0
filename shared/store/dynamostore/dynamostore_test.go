package dynamostore_test

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

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
	storetest.Run(t, func(t *testing.T) store.Store { return dynamotest.Open(t) })
}

// TestNew checks the store on the plain client, without the serializing wrapper.
func TestNew(t *testing.T) {
	ctx := context.Background()
	c := dynamotest.Client(t)
	s := dynamostore.New(c, dynamotest.FreshTable(t, c))
	r := store.Record{Key: "svc/key/1", Service: "svc", Sealed: []byte{1}}
	if err := s.Create(ctx, store.Write{Records: []store.Record{r}}); err != nil {
		t.Fatalf("Create: got error %v, want nil", err)
	}
	if _, err := s.Get(ctx, r.Key); err != nil {
		t.Errorf("Get: got error %v, want nil", err)
	}
}

// TestCreateTableTwice checks that CreateTable accepts a table that exists, TTL included.
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
}
