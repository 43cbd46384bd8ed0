// Package seal envelope-encrypts secret values: a Seal asks a KeyWrapper (AWS KMS or the local
// key file) for a fresh 256-bit data key (or, with a Cache, reuses one within its bounds),
// encrypts the value with AES-256-GCM, and returns one self-describing blob holding the wrapped
// data key, the nonce and the ciphertext.
//
// The encryption context (service and tenant) binds the wrapped data key to its owner at the KMS
// level; the associated data (the record key) binds the ciphertext to its record, so a blob
// copied onto another record does not open. Every failure to open is the same opaque error.
package seal

import "context"

// KeyWrapper issues and unwraps data keys. It is the whole of what the sealer needs from KMS.
type KeyWrapper interface {
	// GenerateDataKey returns a fresh 32-byte data key in plaintext and wrapped under the
	// master key, bound to encryptionContext.
	GenerateDataKey(ctx context.Context, encryptionContext map[string]string) (plaintext, wrapped []byte, err error)
	// Decrypt unwraps a data key; it fails unless encryptionContext matches the one used to wrap.
	Decrypt(ctx context.Context, wrapped []byte, encryptionContext map[string]string) ([]byte, error)
}

// Scope names whose secret is sealed; it becomes the KMS encryption context.
type Scope struct {
	Service string // e.g. "tencent-apigateway"
	Tenant  string // account, project or tenant id
}
