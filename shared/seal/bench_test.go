package seal_test

import (
	"path/filepath"
	"testing"

	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
)

// BenchmarkSeal measures one Seal of a 64-byte secret on the local key driver: a data key,
// its wrap under the master key, and the AES-256-GCM seal of the secret.
func BenchmarkSeal(b *testing.B) {
	s := benchSealer(b)
	secret := make([]byte, 64)
	b.ReportAllocs()
	b.SetBytes(int64(len(secret)))
	for b.Loop() {
		if _, err := s.Seal(b.Context(), testScope, testAAD, secret); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen measures the matching Open.
func BenchmarkOpen(b *testing.B) {
	s := benchSealer(b)
	blob, err := s.Seal(b.Context(), testScope, testAAD, make([]byte, 64))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(64)
	for b.Loop() {
		if _, err := s.Open(b.Context(), testScope, testAAD, blob); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSealer(b *testing.B) *seal.Sealer {
	b.Helper()
	kw, err := localkey.Open(filepath.Join(b.TempDir(), "master.key"))
	if err != nil {
		b.Fatal(err)
	}
	return seal.New(kw)
}
