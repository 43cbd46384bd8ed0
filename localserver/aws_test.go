package localserver

import (
	"context"
	"testing"

	"keyport/shared/motoserver"
)

// useAWS points the process's default AWS configuration chain at endpoint (a moto_server), as
// an operator would, for the rest of tb.
func useAWS(tb testing.TB, endpoint string) {
	tb.Setenv("AWS_ENDPOINT_URL", endpoint)
	tb.Setenv("AWS_REGION", "us-east-1")
	tb.Setenv("AWS_ACCESS_KEY_ID", "testing")
	tb.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	tb.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// TestServesOnDynamoDBAndKMS runs the same process entry with -store dynamodb against a real
// DynamoDB and KMS API (moto on loopback, reached through AWS_ENDPOINT_URL as an operator would)
// and drives every operation through its vendor's client, including a refused duplicate.
func TestServesOnDynamoDBAndKMS(t *testing.T) {
	endpoint := motoserver.Start(t)
	useAWS(t, endpoint)

	addr, logs, stop := startServerWith(t, config{storeKind: "dynamodb", table: "keyport-cmd-test",
		createTable: true, keyLimit: 500})
	defer stop()
	clients := newVendorClients(t, addr)
	ctx := context.Background()
	for i, op := range operations {
		if err := clients.create(ctx, op, i, randomSecret(t, "Aws_")); err != nil {
			t.Fatalf("%s create on DynamoDB/KMS: %v\nlogs: %s", op, err, logs.String())
		}
	}
	// The same indexes again: the Alibaba name, Tencent AccessKeyId and EdgeOne zone are taken.
	for i, op := range operations[:3] {
		if err := clients.create(ctx, op, i, randomSecret(t, "Aws_")); err == nil {
			t.Errorf("%s: a duplicate create succeeded on DynamoDB", op)
		}
	}
}
