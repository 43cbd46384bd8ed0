//go:build invoke

package invoke

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"keyport/shared/credentials"
	"keyport/shared/motoserver"
	"keyport/shared/store/dynamostore"
)

// devDocument is the development credentials book (credentials.Dev) as a credentials
// document, the form the stack's Secrets Manager secret holds.
func devDocument(t *testing.T) string {
	t.Helper()
	type key struct {
		ID      string `json:"secretId,omitempty"`
		Secret  string `json:"secretKey,omitempty"`
		AK      string `json:"accessKeyId,omitempty"`
		AKS     string `json:"accessKeySecret,omitempty"`
		Account string `json:"account"`
	}
	doc := map[string]any{
		"tencent":  []key{{ID: credentials.DevTencentSecretID, Secret: credentials.DevTencentSecretKey, Account: credentials.DevTencentAccount}},
		"alibaba":  []key{{AK: credentials.DevAlibabaKeyID, AKS: credentials.DevAlibabaSecret, Account: credentials.DevAlibabaAccount}},
		"gcore":    []map[string]any{{"apiKey": credentials.DevGcoreAPIKey, "projects": []int64{credentials.DevGcoreProject}}},
		"k5":       []map[string]string{{"token": credentials.DevK5Token, "tenant": credentials.DevK5Tenant}},
		"users":    credentials.DevDocument().Users,
		"keystone": credentials.DevDocument().Keystone,
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := credentials.Parse(b); err != nil {
		t.Fatalf("development document does not parse: %v", err)
	}
	return string(b)
}

// newCloud creates, on moto, what the stack would: a table, a KMS key and the credentials
// secret holding document. Names are unique, so a reused moto server does not collide.
func newCloud(t *testing.T, endpoint, document string) cloud {
	t.Helper()
	ctx := context.Background()
	cfg := motoserver.AWSConfig(endpoint)
	suffix := randomSuffix()
	c := cloud{table: "keyport-invoke-" + suffix}
	if err := dynamostore.CreateTable(ctx, dynamodb.NewFromConfig(cfg), c.table); err != nil {
		t.Fatalf("create table: %v", err)
	}
	key, err := kms.NewFromConfig(cfg).CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	c.keyID, c.keyARN = *key.KeyMetadata.KeyId, *key.KeyMetadata.Arn
	c.secretARN = newSecret(t, endpoint, "keyport-credentials-"+suffix, document)
	return c
}

// newSecret creates a secret holding value and returns its ARN.
func newSecret(t *testing.T, endpoint, name, value string) string {
	t.Helper()
	out, err := secretsmanager.NewFromConfig(motoserver.AWSConfig(endpoint)).CreateSecret(context.Background(),
		&secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)})
	if err != nil {
		t.Fatalf("create secret: %v", err)
	}
	return *out.ARN
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
