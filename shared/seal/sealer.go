package seal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
)

// Blob layout, version 1 (all lengths in bytes):
//
//	version (1) = 0x01 | wrapped key length n (2, big-endian) | wrapped key (n) |
//	nonce (12) | AES-256-GCM ciphertext of the secret + tag (16)
//
// The layout follows Tink's KMS envelope AEAD (a length-prefixed wrapped data key followed by
// the AEAD ciphertext) with a leading version byte, so a later format can be told apart.
const (
	version1    byte = 0x01
	headerLen        = 1 + 2 // version byte + wrapped key length
	nonceLen         = 12    // GCM standard nonce
	tagLen           = 16    // GCM tag
	gcmOverhead      = nonceLen + tagLen
	dataKeyLen       = 32        // AES-256
	maxWrapped       = 1<<16 - 1 // what the uint16 length field can say
)

// ErrOpen is the one error Open returns, whatever went wrong: a bad version, a truncated or
// tampered blob, the wrong scope or the wrong associated data, or a KeyWrapper that would not
// unwrap. Telling these apart would help an attacker probe blobs and helps no caller.
var ErrOpen = errors.New("seal: cannot open")

// Sealer envelope-encrypts secrets with data keys issued by a KeyWrapper. Without a cache it
// holds no key material between calls; with one (WithCache) it holds the cached data keys,
// within the Cache's bounds. It is safe for concurrent use if its KeyWrapper is.
type Sealer struct {
	kw           KeyWrapper
	cache        *keyCaches // nil: one data key per value
	seals, opens bool       // the KMS calls this Sealer may make (see Restrict)
}

// New returns a Sealer that asks kw for one data key per Seal and one unwrap per Open.
func New(kw KeyWrapper) *Sealer {
	return &Sealer{kw: kw, seals: true, opens: true}
}

// WithCache returns a Sealer over the same key wrapper (and restrictions) that reuses data keys
// within c's bounds (see Cache); the zero Cache gives one data key per value. The caches are
// the returned Sealer's own, shared by every Sealer Restrict derives from it.
func (s *Sealer) WithCache(c Cache) *Sealer {
	out := *s
	out.cache = nil
	if c.seals() || c.opens() {
		out.cache = newKeyCaches(c)
	}
	return &out
}

// EncryptionContext returns the KMS encryption context for s: {"service", "tenant"}. IAM
// policies may condition kms:GenerateDataKey and kms:Decrypt on these keys, so they are fixed.
func EncryptionContext(s Scope) map[string]string {
	return map[string]string{"service": s.Service, "tenant": s.Tenant}
}

// Seal encrypts plaintext under a data key bound to scope, with aad (the record key) as GCM
// associated data, and returns the self-describing blob. Without a cache it makes exactly one
// GenerateDataKey call; with one, one per scope per cache window. Its errors wrap the
// KeyWrapper's error and never hold key material.
func (s *Sealer) Seal(ctx context.Context, scope Scope, aad, plaintext []byte) ([]byte, error) {
	if scope.Service == "" || scope.Tenant == "" {
		// An empty field would bind the data key to less than its owner.
		return nil, errors.New("seal: scope needs both service and tenant")
	}
	if !s.seals {
		// Before the cache: a Sealer that may not seal never seals, even with a cached key.
		return nil, fmt.Errorf("seal: generate data key: %w", ErrUndeclared)
	}
	dataKey, wrapped, err := s.dataKey(ctx, scope)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(dataKey)
	if err != nil {
		return nil, fmt.Errorf("seal: data key: %w", err)
	}
	out := make([]byte, headerLen, headerLen+len(wrapped)+gcmOverhead+len(plaintext))
	out[0] = version1
	binary.BigEndian.PutUint16(out[1:headerLen], uint16(len(wrapped)))
	out = append(out, wrapped...)
	// The AEAD draws the 12-byte nonce from crypto/rand and writes it ahead of the ciphertext.
	return aead.Seal(out, nil, plaintext, aad), nil
}

// dataKey returns a data key for scope, the caller's to zero, and its wrapped form: the cached
// one while its uses and age last, otherwise a fresh one, which the cache then keeps.
func (s *Sealer) dataKey(ctx context.Context, scope Scope) (key, wrapped []byte, err error) {
	if key, wrapped, ok := s.cache.sealKey(scope); ok {
		return key, wrapped, nil
	}
	key, wrapped, err = s.kw.GenerateDataKey(ctx, EncryptionContext(scope))
	if err != nil {
		clear(key) // in case a driver returned a key alongside its error
		return nil, nil, fmt.Errorf("seal: generate data key: %w", err)
	}
	if len(key) != dataKeyLen {
		clear(key)
		return nil, nil, fmt.Errorf("seal: data key: data key is %d bytes, want %d", len(key), dataKeyLen)
	}
	if len(wrapped) == 0 || len(wrapped) > maxWrapped {
		clear(key)
		return nil, nil, fmt.Errorf("seal: wrapped data key is %d bytes, want 1..%d", len(wrapped), maxWrapped)
	}
	// Copied before the cache takes key: once there, another Seal may spend its last use, or
	// make room, and zero it.
	mine := clone(key)
	if s.cache.keepSealKey(scope, key, wrapped) {
		return mine, wrapped, nil
	}
	clear(mine)
	return key, wrapped, nil
}

// Open reverses Seal. It returns ErrOpen, and nothing else, for every failure.
func (s *Sealer) Open(ctx context.Context, scope Scope, aad, blob []byte) ([]byte, error) {
	wrapped, sealed, ok := parse(blob)
	if !ok || !s.opens {
		// Before the cache: a Sealer that may not open never opens, even with a cached key.
		return nil, ErrOpen
	}
	if key, ok := s.cache.openKey(scope, wrapped); ok {
		return openWith(key, sealed, aad)
	}
	dataKey, err := s.kw.Decrypt(ctx, wrapped, EncryptionContext(scope))
	if err != nil {
		clear(dataKey)
		return nil, ErrOpen
	}
	if s.cache == nil {
		return openWith(dataKey, sealed, aad)
	}
	plaintext, err := openWith(clone(dataKey), sealed, aad)
	// Only a key that opened a value is kept: KMS unwrapped it under this scope, and the
	// blob it came in was genuine.
	if err != nil || len(dataKey) != dataKeyLen || !s.cache.keepOpenKey(scope, wrapped, dataKey) {
		clear(dataKey)
	}
	return plaintext, err
}

// openWith opens sealed under key (zeroing key) with aad, answering ErrOpen on any failure.
func openWith(key, sealed, aad []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, ErrOpen
	}
	plaintext, err := aead.Open(nil, nil, sealed, aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plaintext, nil
}

// parse splits a version-1 blob into the wrapped data key and the nonce-prefixed ciphertext.
// It rejects a blob too short to hold a nonce and a tag before any KMS call is spent on it.
func parse(blob []byte) (wrapped, sealed []byte, ok bool) {
	if len(blob) < headerLen || blob[0] != version1 {
		return nil, nil, false
	}
	n := int(binary.BigEndian.Uint16(blob[1:headerLen]))
	rest := blob[headerLen:]
	if n == 0 || len(rest) < n+gcmOverhead {
		return nil, nil, false
	}
	return rest[:n], rest[n:], true
}

// newAEAD builds AES-256-GCM with random nonces from dataKey, then zeroes dataKey, on success
// and on failure alike. The expanded AES key schedule inside the returned AEAD cannot be wiped
// from Go; it becomes garbage when the AEAD does, so callers keep the AEAD no longer than one
// Seal or Open.
func newAEAD(dataKey []byte) (cipher.AEAD, error) {
	defer clear(dataKey)
	if len(dataKey) != dataKeyLen {
		return nil, fmt.Errorf("data key is %d bytes, want %d", len(dataKey), dataKeyLen)
	}
	block, err := aes.NewCipher(dataKey)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// WrappedKey returns the wrapped data key inside a blob Seal made, opening nothing: what a key
// rotation reads to tell which master key a blob is under.
func WrappedKey(blob []byte) ([]byte, bool) {
	wrapped, _, ok := parse(blob)
	return wrapped, ok
}
