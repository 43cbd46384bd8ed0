package localserver

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"keyport/shared/motoserver"
	"keyport/shared/seal/awskms"
)

// TestCreateTableSurvivesABackendThatForgot runs -store dynamodb -create-table against a
// moto_server of its own, then wipes moto (what a restart does: every table and key gone).
// Every operation must create again without restarting keyport, the store's table and the KMS
// key made anew, and the log must say what happened.
func TestCreateTableSurvivesABackendThatForgot(t *testing.T) {
	moto := motoserver.Own(t)
	useAWS(t, moto.Endpoint)
	addr, logs, stop := startServerWith(t, config{storeKind: "dynamodb", table: "keyport-forgot", createTable: true, keyLimit: 500})
	defer stop()
	clients := newVendorClients(t, addr)
	ctx := context.Background()
	for i, op := range operations {
		if err := clients.create(ctx, op, i, randomSecret(t, "Forgot_")); err != nil {
			t.Fatalf("%s before the backend forgot: %v", op, err)
		}
	}
	if err := motoserver.Reset(ctx, moto.Endpoint); err != nil {
		t.Fatal(err)
	}
	for i, op := range operations {
		if err := clients.create(ctx, op, 100+i, randomSecret(t, "Forgot_")); err != nil {
			t.Errorf("%s after the backend forgot its table and key: %v", op, err)
		}
	}
	for _, want := range []string{"created it again", "created another"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, logs.String())
		}
	}
}

// TestPinnedKeyThatIsGoneSaysHowToFix: a key named with -kms-key is never replaced, but a
// create under a key KMS does not know fails with a cause that names the fix.
func TestPinnedKeyThatIsGoneSaysHowToFix(t *testing.T) {
	client := kms.NewFromConfig(motoserver.AWSConfig(motoserver.Start(t)))
	const gone = "11111111-2222-3333-4444-555555555555"
	_, _, err := pinnedKey{awskms.New(client, gone), gone}.GenerateDataKey(context.Background(), map[string]string{"service": "s", "tenant": "t"})
	if err == nil || !strings.Contains(err.Error(), gone+" (-kms-key) does not exist") || !strings.Contains(err.Error(), "omit -kms-key") {
		t.Errorf("got %v, want an error naming the key and the fix", err)
	}
}
