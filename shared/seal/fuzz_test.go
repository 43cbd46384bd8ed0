package seal_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
)

// FuzzOpen feeds arbitrary blobs to Open: it must never panic, must fail with exactly ErrOpen,
// and may succeed only on a blob it can authenticate (here: only the seeded genuine one).
func FuzzOpen(f *testing.F) {
	kw, err := localkey.Open(filepath.Join(f.TempDir(), "master.key"))
	if err != nil {
		f.Fatal(err)
	}
	s := seal.New(kw)
	good, err := s.Seal(f.Context(), testScope, testAAD, testValue)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:3])
	f.Add([]byte{})
	f.Add([]byte{0x01, 0xFF, 0xFF})
	f.Add(append([]byte{0x02}, good[1:]...))
	f.Fuzz(func(t *testing.T, blob []byte) {
		got, err := s.Open(t.Context(), testScope, testAAD, blob)
		switch {
		case err == nil && !bytes.Equal(got, testValue):
			t.Fatalf("Open: got %q with no error, want %q or ErrOpen", got, testValue)
		case err != nil && (err != seal.ErrOpen || got != nil):
			t.Fatalf("Open: got %d bytes and error %v, want nothing and exactly ErrOpen", len(got), err)
		}
	})
}
