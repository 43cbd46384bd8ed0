// Package localkey is the seal.KeyWrapper for local runs: a 32-byte master key in a file
// readable only by its owner stands in for AWS KMS.
//
// It is for development and tests. The master key sits on disk in the clear, protected only by
// its file mode; anyone who can read the file can open every blob sealed under it.
package localkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// masterKeyLen is the size of the key file: one AES-256 key, nothing else.
const masterKeyLen = 32

// Wrapper wraps data keys under its current master key and unwraps them under any master key
// of its ring (the key a rotation is moving away from, or to). It is safe for concurrent use.
type Wrapper struct {
	ring []master // ring[0] is the current key, which wraps every new data key
}

// master is one master key: its id (recorded in every data key it wraps) and its cipher.
type master struct {
	id   [idLen]byte
	aead cipher.AEAD // AES-256-GCM under the master key, random nonces
}

// NextSuffix names the key a rotation moves to, next to the key file (master.key.next): Open
// loads it into the ring too, so a rotation interrupted at any point leaves every data key
// readable.
const NextSuffix = ".next"

// Open loads the master key at path, creating it on first run: the parent directory with mode
// 0700 and the key file, 32 random bytes, with mode 0600. It refuses an existing file that is
// not a regular file, whose mode lets group or others in, or whose size is not 32 bytes.
//
// A key file next to it named with NextSuffix (left by an interrupted rotation) is loaded too:
// it unwraps, but the key at path stays the one that wraps.
func Open(path string) (*Wrapper, error) {
	w, err := openOne(path, true)
	if err != nil {
		return nil, err
	}
	next, err := openOne(path+NextSuffix, false)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return w, nil
	case err != nil:
		return nil, err
	}
	return Ring(w, next), nil
}

// openOne loads the key at path, creating it when create says so.
func openOne(path string, create bool) (*Wrapper, error) {
	key, err := load(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		key, err = createKey(path)
	}
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return fromKey(key)
}

// CreateNext makes the key a rotation of the key at path moves to (path+NextSuffix), or loads
// the one an interrupted rotation made, and returns it alone.
func CreateNext(path string) (*Wrapper, error) { return openOne(path+NextSuffix, true) }

// Ring returns a wrapper that wraps under current's current key and unwraps under every key
// of current and others.
func Ring(current *Wrapper, others ...*Wrapper) *Wrapper {
	w := &Wrapper{ring: slices.Clone(current.ring)}
	for _, o := range others {
		for _, m := range o.ring {
			if !slices.ContainsFunc(w.ring, func(x master) bool { return x.id == m.id }) {
				w.ring = append(w.ring, m)
			}
		}
	}
	return w
}

// ID is the current key's id, as WrappedBy reports it.
func (w *Wrapper) ID() string { return hex.EncodeToString(w.ring[0].id[:]) }

// Ephemeral returns a wrapper under a random master key that lives only in this process's
// memory (`keyport -store memory`): nothing touches disk, and nothing sealed under it can be
// opened once the process ends.
func Ephemeral() *Wrapper {
	key := make([]byte, masterKeyLen)
	rand.Read(key)
	defer clear(key)
	w, err := fromKey(key)
	if err != nil {
		panic(err) // unreachable: a 32-byte key is always a valid AES-256 key
	}
	return w
}

// fromKey builds the AES-256-GCM wrapper under key; the cipher keeps its own copy of the key.
func fromKey(key []byte) (*Wrapper, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("localkey: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("localkey: %w", err)
	}
	return &Wrapper{ring: []master{{id: keyID(key), aead: aead}}}, nil
}

// idLen is the length of a key id.
const idLen = 8

// keyID names a master key without revealing it: the first bytes of a labelled SHA-256 of it.
func keyID(key []byte) [idLen]byte {
	sum := sha256.Sum256(append([]byte("keyport/localkey/id\x00"), key...))
	return [idLen]byte(sum[:idLen])
}

// load reads an existing key file. It checks the mode and size of the file it opened (fstat),
// not of whatever the path names a moment earlier.
func load(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // fs.ErrNotExist tells Open to create the key
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("localkey: %w", err)
	}
	switch {
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("localkey: %s is not a regular file", path)
	case fi.Mode().Perm()&0o077 != 0:
		return nil, fmt.Errorf("localkey: %s has mode %v; want no group or other access (chmod 600)", path, fi.Mode().Perm())
	case fi.Size() != masterKeyLen:
		return nil, fmt.Errorf("localkey: %s is %d bytes, want %d", path, fi.Size(), masterKeyLen)
	}
	key := make([]byte, masterKeyLen)
	if _, err := io.ReadFull(f, key); err != nil {
		clear(key)
		return nil, fmt.Errorf("localkey: read %s: %w", path, err)
	}
	return key, nil
}

// create writes a new random key to a temporary file in the same directory, syncs it, and
// hard-links it into place. A crash leaves either no key file or a whole one, never half a key;
// and unlike a rename, the link never replaces a key another process created meanwhile (whose
// blobs would then be lost): if one appears, that key is loaded instead.
func createKey(path string) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("localkey: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".localkey-*") // created with mode 0600
	if err != nil {
		return nil, fmt.Errorf("localkey: %w", err)
	}
	defer os.Remove(tmp.Name())
	key := make([]byte, masterKeyLen)
	rand.Read(key)
	if err := writeSync(tmp, key); err != nil {
		clear(key)
		return nil, fmt.Errorf("localkey: write key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		clear(key)
		if errors.Is(err, fs.ErrExist) {
			return load(path)
		}
		return nil, fmt.Errorf("localkey: %w", err)
	}
	syncDir(dir)
	return key, nil
}

// writeSync writes b to f, flushes it to disk and closes f.
func writeSync(f *os.File, b []byte) error {
	_, err := f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes the new directory entry durable. Best effort: some file systems refuse to
// sync a directory, and the key file itself is already whole on disk.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
