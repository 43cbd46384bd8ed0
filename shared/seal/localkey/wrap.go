package localkey

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"slices"
)

// Wrapped data key layout: version (1) = 0x01 | nonce (12) | AES-256-GCM(master, data key) +
// tag (16), with the canonical encoding of the encryption context as associated data.
const (
	wrapVersion = 0x01
	dataKeyLen  = 32
)

// errDecrypt is the one error Decrypt returns for a wrapped key it cannot unwrap, whether it
// was tampered with, wrapped under another master key or bound to another context.
var errDecrypt = errors.New("localkey: cannot decrypt data key")

// GenerateDataKey returns a fresh random 32-byte data key and the same key wrapped under the
// master key, bound to encryptionContext.
func (w *Wrapper) GenerateDataKey(ctx context.Context, encryptionContext map[string]string) (plaintext, wrapped []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	plaintext = make([]byte, dataKeyLen)
	rand.Read(plaintext)
	wrapped = make([]byte, 1, 1+w.aead.Overhead()+dataKeyLen)
	wrapped[0] = wrapVersion
	wrapped = w.aead.Seal(wrapped, nil, plaintext, canonical(encryptionContext))
	return plaintext, wrapped, nil
}

// Decrypt unwraps a data key made by GenerateDataKey under the same master key. It fails,
// with one opaque error, unless encryptionContext equals the one the key was wrapped with.
func (w *Wrapper) Decrypt(ctx context.Context, wrapped []byte, encryptionContext map[string]string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(wrapped) != 1+w.aead.Overhead()+dataKeyLen || wrapped[0] != wrapVersion {
		return nil, errDecrypt
	}
	plaintext, err := w.aead.Open(nil, nil, wrapped[1:], canonical(encryptionContext))
	if err != nil {
		return nil, errDecrypt
	}
	return plaintext, nil
}

// canonical encodes an encryption context so that equal maps, and only equal maps, encode
// equally: pairs in sorted key order, each key and value prefixed by its uint32 big-endian
// length (without the prefixes, {"a":"bc"} and {"ab":"c"} would collide).
func canonical(ec map[string]string) []byte {
	keys := make([]string, 0, len(ec))
	n := 0
	for k, v := range ec {
		keys = append(keys, k)
		n += 8 + len(k) + len(v)
	}
	slices.Sort(keys)
	out := make([]byte, 0, n)
	for _, k := range keys {
		out = binary.BigEndian.AppendUint32(out, uint32(len(k)))
		out = append(out, k...)
		out = binary.BigEndian.AppendUint32(out, uint32(len(ec[k])))
		out = append(out, ec[k]...)
	}
	return out
}
