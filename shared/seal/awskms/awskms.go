// Package awskms is the seal.KeyWrapper backed by AWS KMS: data keys come from
// kms:GenerateDataKey and are unwrapped by kms:Decrypt, both bound to the seal encryption
// context, so an IAM policy can confine each function to its own service's keys.
package awskms

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// kmsAPI is the part of *kms.Client the wrapper uses; tests may pass a fault-injecting
// stand-in.
type kmsAPI interface {
	GenerateDataKey(ctx context.Context, in *kms.GenerateDataKeyInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error)
	Decrypt(ctx context.Context, in *kms.DecryptInput, optFns ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// Wrapper issues and unwraps data keys under one KMS key. It is safe for concurrent use.
type Wrapper struct {
	client kmsAPI
	keyID  string
}

// New returns a Wrapper using client (normally a *kms.Client) and the KMS key keyID (key id,
// key ARN, alias name or alias ARN).
func New(client kmsAPI, keyID string) *Wrapper {
	return &Wrapper{client: client, keyID: keyID}
}

// GenerateDataKey asks KMS for a fresh AES-256 data key bound to encryptionContext. It makes
// exactly one KMS call.
func (w *Wrapper) GenerateDataKey(ctx context.Context, encryptionContext map[string]string) (plaintext, wrapped []byte, err error) {
	out, err := w.client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{
		KeyId:             aws.String(w.keyID),
		KeySpec:           types.DataKeySpecAes256,
		EncryptionContext: encryptionContext,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("awskms: GenerateDataKey: %w", err)
	}
	return out.Plaintext, out.CiphertextBlob, nil
}

// Decrypt asks KMS to unwrap a data key. It names the expected key, so a blob wrapped under
// any other KMS key is refused even where the caller may use that key, and passes
// encryptionContext, which KMS requires to equal the one the key was wrapped with.
func (w *Wrapper) Decrypt(ctx context.Context, wrapped []byte, encryptionContext map[string]string) ([]byte, error) {
	out, err := w.client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob:    wrapped,
		EncryptionContext: encryptionContext,
		KeyId:             aws.String(w.keyID),
	})
	if err != nil {
		return nil, fmt.Errorf("awskms: Decrypt: %w", err)
	}
	return out.Plaintext, nil
}
