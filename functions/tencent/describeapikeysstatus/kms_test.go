package describeapikeysstatus_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/motoserver"
	"keyport/shared/seal"
	"keyport/shared/seal/awskms"
	"keyport/shared/store/dynamostore/dynamotest"
)

// countingKMS counts Decrypt calls and the most that were in flight at once.
type countingKMS struct {
	seal.KeyWrapper
	mu                 sync.Mutex
	decrypts, inFlight int
	maxInFlight        int
}

func (c *countingKMS) Decrypt(ctx context.Context, wrapped []byte, ec map[string]string) ([]byte, error) {
	c.mu.Lock()
	c.decrypts++
	c.inFlight++
	c.maxInFlight = max(c.maxInFlight, c.inFlight)
	c.mu.Unlock()
	defer func() { c.mu.Lock(); c.inFlight--; c.mu.Unlock() }()
	return c.KeyWrapper.Decrypt(ctx, wrapped, ec)
}

func (c *countingKMS) reset() (decrypts, maxInFlight int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, m := c.decrypts, c.maxInFlight
	c.decrypts, c.maxInFlight = 0, 0
	return d, m
}

// TestPageOpensConcurrently, on DynamoDB and KMS (moto): a page opens exactly its own keys'
// secrets, one Decrypt each, several at once but never more than the bound (8); an
// AccessKeySecret filter opens the keys the other filters leave, and no more.
func TestPageOpensConcurrently(t *testing.T) {
	client := kms.NewFromConfig(motoserver.AWSConfig(motoserver.Start(t)))
	out, err := client.CreateKey(t.Context(), &kms.CreateKeyInput{KeySpec: types.KeySpecSymmetricDefault, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
	if err != nil {
		t.Fatal(err)
	}
	counter := &countingKMS{KeyWrapper: awskms.New(client, aws.ToString(out.KeyMetadata.KeyId))}
	e := lifecycletest.New(t, dynamotest.Open(t), seal.New(counter), now, 0)
	for i := range 30 {
		// A hyphen, which no AccessKeyId holds, so the KeyWord below matches names only.
		e.Create(t, lifecycletest.Dev, `{"SecretName":"k-`+strconv.Itoa(i)+`"}`)
	}
	e.Create(t, lifecycletest.Other, `{"SecretName":"other"}`)
	tests := []struct {
		name         string
		body         string
		wantDecrypts int
		wantItems    int
	}{
		{"page of 20 of 30", `{"Limit":20}`, 20, 20},
		{"last page", `{"Limit":20,"Offset":20}`, 10, 10},
		{"past the end", `{"Offset":30}`, 0, 0},
		{"secret filter after a name filter", `{"Filters":[{"Name":"KeyWord","Values":["k-1"]},{"Name":"AccessKeySecret","Values":["guess_guess"]}]}`, 11, 0},
	}
	counter.reset()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, keys := e.Must(t, lifecycletest.Dev, "DescribeApiKeysStatus", tt.body).List(t)
			decrypts, most := counter.reset()
			if len(keys) != tt.wantItems || decrypts != tt.wantDecrypts {
				t.Errorf("got %d items and %d Decrypt calls, want %d and %d", len(keys), decrypts, tt.wantItems, tt.wantDecrypts)
			}
			if most > 8 || (decrypts >= 10 && most < 2) {
				t.Errorf("got at most %d Decrypt calls in flight, want 2 to 8 for %d calls", most, decrypts)
			}
			t.Logf("%d Decrypt calls, at most %d at once", decrypts, most)
		})
	}
}
