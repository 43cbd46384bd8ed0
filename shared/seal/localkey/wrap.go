package localkey

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"slices"
)

// Wrapped data key layouts, with the canonical encoding of the encryption context as
// associated data:
//
//	version 0x02 | master key id (8) | nonce (12) | AES-256-GCM(master, data key) + tag (16)
//	version 0x01 | nonce (12) | AES-256-GCM(master, data key) + tag (16)   (before rotation: no id)
//
// The id in every data key is how the store records which master key wraps what (WrappedBy);
// a version-1 key is tried under every key of the ring.
const (
	wrapVersion1 = 0x01
	wrapVersion2 = 0x02
	dataKeyLen   = 32
	sealedLen    = 12 + dataKeyLen + 16
)

// errDecrypt is the one error Decrypt returns for a wrapped key it cannot unwrap, whether it
// was tampered with, wrapped under another master key or bound to another context.
var errDecrypt = errors.New("localkey: cannot decrypt data key")

// GenerateDataKey returns a fresh random 32-byte data key and the same key wrapped under the
// current master key, bound to encryptionContext.
func (w *Wrapper) GenerateDataKey(ctx context.Context, encryptionContext map[string]string) (plaintext, wrapped []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	plaintext = make([]byte, dataKeyLen)
	rand.Read(plaintext)
	cur := w.ring[0]
	wrapped = make([]byte, 0, 1+idLen+sealedLen)
	wrapped = append(append(wrapped, wrapVersion2), cur.id[:]...)
	wrapped = cur.aead.Seal(wrapped, nil, plaintext, canonical(encryptionContext))
	return plaintext, wrapped, nil
}

// Decrypt unwraps a data key made by GenerateDataKey under a master key of the ring. It fails,
// with one opaque error, unless encryptionContext equals the one the key was wrapped with.
func (w *Wrapper) Decrypt(ctx context.Context, wrapped []byte, encryptionContext map[string]string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ad := canonical(encryptionContext)
	switch {
	case len(wrapped) == 1+idLen+sealedLen && wrapped[0] == wrapVersion2:
		for _, m := range w.ring {
			if [idLen]byte(wrapped[1:1+idLen]) == m.id {
				return open(m, wrapped[1+idLen:], ad)
			}
		}
	case len(wrapped) == 1+sealedLen && wrapped[0] == wrapVersion1:
		for _, m := range w.ring {
			if pt, err := open(m, wrapped[1:], ad); err == nil {
				return pt, nil
			}
		}
	}
	return nil, errDecrypt
}

func open(m master, sealed, ad []byte) ([]byte, error) {
	pt, err := m.aead.Open(nil, nil, sealed, ad)
	if err != nil {
		return nil, errDecrypt
	}
	return pt, nil
}

// WrappedBy returns the id of the master key that wrapped a data key, "" for a key wrapped
// before keys had ids (version 1), and false for bytes that are no wrapped key of this package.
func WrappedBy(wrapped []byte) (string, bool) {
	switch {
	case len(wrapped) == 1+idLen+sealedLen && wrapped[0] == wrapVersion2:
		return hex.EncodeToString(wrapped[1 : 1+idLen]), true
	case len(wrapped) == 1+sealedLen && wrapped[0] == wrapVersion1:
		return "", true
	}
	return "", false
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
