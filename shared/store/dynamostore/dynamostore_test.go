package dynamostore

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"keyport/shared/motoserver"
	"keyport/shared/store"
	"keyport/shared/store/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.Stop()
	os.Exit(code)
}

// client returns a DynamoDB client aimed at the test binary's moto server.
func client(t *testing.T) *dynamodb.Client {
	t.Helper()
	return dynamodb.NewFromConfig(motoserver.AWSConfig(motoserver.Start(t)))
}

// freshTable creates a table no other test uses, so a reused moto server
// (KEYPORT_MOTO_ENDPOINT) never leaks state between tests or runs.
func freshTable(t *testing.T, c *dynamodb.Client) string {
	t.Helper()
	name := "keyport-test-" + strings.ToLower(rand.Text())
	if err := CreateTable(context.Background(), c, name); err != nil {
		t.Fatalf("CreateTable(%s): got error %v, want nil", name, err)
	}
	return name
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		c := client(t)
		return newStore(&serialized{db: c}, freshTable(t, c))
	})
}

// TestNew checks the exported constructor against moto without the serializing wrapper.
func TestNew(t *testing.T) {
	ctx := context.Background()
	c := client(t)
	s := New(c, freshTable(t, c))
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
	c := client(t)
	name := freshTable(t, c)
	if err := CreateTable(context.Background(), c, name); err != nil {
		t.Fatalf("second CreateTable(%s): got error %v, want nil", name, err)
	}
	d, err := c.DescribeTimeToLive(context.Background(), &dynamodb.DescribeTimeToLiveInput{TableName: &name})
	if err != nil {
		t.Fatalf("DescribeTimeToLive: got error %v, want nil", err)
	}
	ttl := d.TimeToLiveDescription
	if ttl == nil || ttl.AttributeName == nil || *ttl.AttributeName != attrExpires {
		t.Errorf("TTL: got %+v, want enabled on %s", ttl, attrExpires)
	}
}
