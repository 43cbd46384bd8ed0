package seal_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"keyport/shared/seal"
)

// TestRestrict: a restricted sealer makes only the KMS calls it was allowed, and a refused call
// never reaches the key wrapper.
func TestRestrict(t *testing.T) {
	ctx := context.Background()
	scope := seal.Scope{Service: "svc", Tenant: "t1"}
	aad, secret := []byte("aad"), []byte("value")
	for _, tt := range []struct{ seals, opens bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		kw := newCounting(t)
		full := seal.New(kw)
		blob, err := full.Seal(ctx, scope, aad, secret)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := kw.calls()
		r := full.Restrict(tt.seals, tt.opens)

		_, err = r.Seal(ctx, scope, aad, secret)
		if generates, _ := kw.calls(); tt.seals != (err == nil) || tt.seals != (generates == before+1) {
			t.Errorf("seals=%v: Seal got %v after %d GenerateDataKey calls", tt.seals, err, generates-before)
		}
		if !tt.seals && !errors.Is(err, seal.ErrUndeclared) {
			t.Errorf("seals=false: Seal got %v, want ErrUndeclared", err)
		}
		got, err := r.Open(ctx, scope, aad, blob)
		_, decrypts := kw.calls()
		if tt.opens && (err != nil || !bytes.Equal(got, secret) || decrypts != 1) {
			t.Errorf("opens=true: Open got %q, %v after %d Decrypt calls", got, err, decrypts)
		}
		if !tt.opens && (!errors.Is(err, seal.ErrOpen) || decrypts != 0) {
			t.Errorf("opens=false: Open got %v after %d Decrypt calls, want ErrOpen and none", err, decrypts)
		}
	}
}
