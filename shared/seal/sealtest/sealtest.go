// Package sealtest is the conformance suite every seal.KeyWrapper driver runs: it checks the
// driver itself (fresh, distinct 32-byte data keys; unwrapping only under the same encryption
// context) and a seal.Sealer built on it (round trips, and refusal of every wrong scope, wrong
// associated data, flipped byte or truncation, always with the one opaque seal.ErrOpen).
package sealtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"sync"
	"testing"

	"keyport/shared/seal"
)

// Scope, AAD and secret used throughout; the suite derives its wrong variants from them.
var (
	scope  = seal.Scope{Service: "tencent-apigateway", Tenant: "1300000000"}
	aad    = []byte("tencent-apigateway/key/AKIDsealtest")
	secret = []byte("sealtest secret value")
)

// Run runs the suite against kw. Drivers backed by a remote service should give each test
// run a fresh key so runs do not see each other's blobs.
func Run(t *testing.T, kw seal.KeyWrapper) {
	t.Run("KeyWrapper", func(t *testing.T) { runKeyWrapper(t, kw) })
	t.Run("Sealer", func(t *testing.T) { runSealer(t, seal.New(kw)) })
}

func runKeyWrapper(t *testing.T, kw seal.KeyWrapper) {
	ec := seal.EncryptionContext(scope)
	t.Run("FreshDistinctDataKeys", func(t *testing.T) {
		k1, w1 := generate(t, kw, ec)
		k2, w2 := generate(t, kw, ec)
		for i, k := range [][]byte{k1, k2} {
			if len(k) != 32 {
				t.Errorf("data key %d: got %d bytes, want 32", i, len(k))
			}
		}
		if bytes.Equal(k1, k2) {
			t.Errorf("got the same data key twice, want distinct keys")
		}
		if len(w1) == 0 || bytes.Equal(w1, w2) {
			t.Errorf("got wrapped keys %x and %x, want two distinct non-empty keys", w1, w2)
		}
		if bytes.Contains(w1, k1) {
			t.Errorf("wrapped key contains the plaintext data key")
		}
	})
	t.Run("RoundTrip", func(t *testing.T) {
		want, wrapped := generate(t, kw, ec)
		got, err := kw.Decrypt(t.Context(), wrapped, maps.Clone(ec))
		if err != nil {
			t.Fatalf("Decrypt: got error %v, want nil", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Decrypt: got a different key than GenerateDataKey returned")
		}
	})
	t.Run("WrongContextRefused", func(t *testing.T) {
		_, wrapped := generate(t, kw, ec)
		for name, wrong := range wrongContexts(ec) {
			t.Run(name, func(t *testing.T) {
				if _, err := kw.Decrypt(t.Context(), wrapped, wrong); err == nil {
					t.Errorf("Decrypt with context %v: got nil error, want a refusal", wrong)
				}
			})
		}
	})
}

// wrongContexts returns contexts that each differ from ec in one way.
func wrongContexts(ec map[string]string) map[string]map[string]string {
	with := func(k, v string) map[string]string { c := maps.Clone(ec); c[k] = v; return c }
	without := func(k string) map[string]string { c := maps.Clone(ec); delete(c, k); return c }
	return map[string]map[string]string{
		"OtherService": with("service", "alibaba-apig"),
		"OtherTenant":  with("tenant", "1300000001"),
		"ExtraKey":     with("extra", "x"),
		"MissingKey":   without("tenant"),
		"Empty":        {},
		"Nil":          nil,
	}
}

func generate(t *testing.T, kw seal.KeyWrapper, ec map[string]string) (key, wrapped []byte) {
	t.Helper()
	key, wrapped, err := kw.GenerateDataKey(t.Context(), ec)
	if err != nil {
		t.Fatalf("GenerateDataKey: got error %v, want nil", err)
	}
	return key, wrapped
}

func runSealer(t *testing.T, s *seal.Sealer) {
	t.Run("RoundTrip", func(t *testing.T) {
		for name, pt := range map[string][]byte{
			"Short": secret, "Empty": {}, "Large": bytes.Repeat([]byte{0xA5}, 64<<10),
		} {
			t.Run(name, func(t *testing.T) {
				blob := mustSeal(t, s, scope, aad, pt)
				got, err := s.Open(t.Context(), scope, aad, blob)
				if err != nil {
					t.Fatalf("Open: got error %v, want nil", err)
				}
				if !bytes.Equal(got, pt) {
					t.Errorf("Open: got %d bytes differing from the %d sealed", len(got), len(pt))
				}
			})
		}
	})
	t.Run("SealsDiffer", func(t *testing.T) {
		a, b := mustSeal(t, s, scope, aad, secret), mustSeal(t, s, scope, aad, secret)
		if bytes.Equal(a, b) {
			t.Errorf("two seals of the same plaintext: got equal blobs, want different")
		}
		if bytes.Contains(a, secret) {
			t.Errorf("blob contains the plaintext")
		}
	})
	t.Run("Refused", func(t *testing.T) { runRefused(t, s) })
	t.Run("Concurrent", func(t *testing.T) { runConcurrent(t, s) })
}

// runRefused checks that every wrong way to open a good blob gets exactly seal.ErrOpen.
func runRefused(t *testing.T, s *seal.Sealer) {
	blob := mustSeal(t, s, scope, aad, secret)
	other := mustSeal(t, s, scope, aad, []byte("another secret, sealed under another data key"))
	type open struct {
		scope seal.Scope
		aad   []byte
		blob  []byte
	}
	cases := map[string]open{
		"WrongService": {seal.Scope{Service: "alibaba-apig", Tenant: scope.Tenant}, aad, blob},
		"WrongTenant":  {seal.Scope{Service: scope.Service, Tenant: "1300000001"}, aad, blob},
		"WrongAAD":     {scope, []byte("tencent-apigateway/key/AKIDother"), blob},
		"NilAAD":       {scope, nil, blob},
		"Spliced":      {scope, aad, splice(blob, other)},
		"Empty":        {scope, aad, nil},
		"BadVersion":   {scope, aad, append([]byte{0x02}, blob[1:]...)},
		"Trailing":     {scope, aad, append(bytes.Clone(blob), 0)},
	}
	for i := range blob {
		flipped := bytes.Clone(blob)
		flipped[i] ^= 0x01
		cases[fmt.Sprintf("FlippedByte%03d", i)] = open{scope, aad, flipped}
	}
	for n := range len(blob) {
		cases[fmt.Sprintf("TruncatedTo%03d", n)] = open{scope, aad, blob[:n]}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := s.Open(t.Context(), c.scope, c.aad, c.blob)
			if !errors.Is(err, seal.ErrOpen) || err.Error() != seal.ErrOpen.Error() {
				t.Errorf("Open: got error %v, want exactly %v", err, seal.ErrOpen)
			}
			if got != nil {
				t.Errorf("Open: got %d plaintext bytes with the error, want none", len(got))
			}
		})
	}
}

// splice joins a's header and wrapped key to b's nonce and ciphertext: each half is genuine,
// but they were not sealed together.
func splice(a, b []byte) []byte {
	na := 3 + int(binary.BigEndian.Uint16(a[1:3]))
	nb := 3 + int(binary.BigEndian.Uint16(b[1:3]))
	return append(bytes.Clone(a[:na]), b[nb:]...)
}

// runConcurrent seals and opens from several goroutines at once (run it with -race).
func runConcurrent(t *testing.T, s *seal.Sealer) {
	const workers, rounds = 8, 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				pt := fmt.Appendf(nil, "secret %d/%d", w, r)
				blob, err := s.Seal(t.Context(), scope, aad, pt)
				if err == nil {
					var got []byte
					got, err = s.Open(t.Context(), scope, aad, blob)
					if err == nil && !bytes.Equal(got, pt) {
						err = fmt.Errorf("got %q, want %q", got, pt)
					}
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent seal/open: %v", err)
	}
}

func mustSeal(t *testing.T, s *seal.Sealer, sc seal.Scope, aad, pt []byte) []byte {
	t.Helper()
	blob, err := s.Seal(t.Context(), sc, aad, pt)
	if err != nil {
		t.Fatalf("Seal: got error %v, want nil", err)
	}
	return blob
}
