package localkey

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

var ec = map[string]string{"service": "svc", "tenant": "t"}

// A data key wrapped by an earlier build (version 1, no key id) still unwraps, under any key of
// the ring, and WrappedBy reports it as wrapped before ids.
func TestVersion1StillOpens(t *testing.T) {
	ctx := context.Background()
	old := Ephemeral()
	key := make([]byte, dataKeyLen)
	v1 := old.ring[0].aead.Seal([]byte{wrapVersion1}, nil, key, canonical(ec))
	for name, w := range map[string]*Wrapper{"alone": old, "in a ring": Ring(Ephemeral(), old)} {
		if got, err := w.Decrypt(ctx, v1, ec); err != nil || len(got) != dataKeyLen {
			t.Errorf("%s: Decrypt of a version-1 key: got %d bytes, %v", name, len(got), err)
		}
	}
	if id, ok := WrappedBy(v1); !ok || id != "" {
		t.Errorf("WrappedBy(version 1): got %q, %v; want \"\", true", id, ok)
	}
}

// A ring wraps under its current key, records it in the wrapped key, and unwraps under every
// key; a wrapper without the key refuses.
func TestRing(t *testing.T) {
	ctx := context.Background()
	old, next := Ephemeral(), Ephemeral()
	_, underOld, _ := old.GenerateDataKey(ctx, ec)
	ring := Ring(next, old)
	_, underNext, _ := ring.GenerateDataKey(ctx, ec)
	if id, _ := WrappedBy(underNext); id != next.ID() || id == old.ID() {
		t.Errorf("WrappedBy of a ring's key: got %s, want the current key %s", id, next.ID())
	}
	for _, w := range [][]byte{underOld, underNext} {
		if _, err := ring.Decrypt(ctx, w, ec); err != nil {
			t.Errorf("ring Decrypt: %v", err)
		}
	}
	if _, err := old.Decrypt(ctx, underNext, ec); err == nil {
		t.Error("Decrypt under a key that is not the wrapping one: got nil error")
	}
}

// Open loads an interrupted rotation's next key into the ring, and keeps wrapping under the
// key file itself.
func TestOpenLoadsNext(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "master.key")
	cur, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	next, err := CreateNext(path)
	if err != nil {
		t.Fatal(err)
	}
	_, underNext, _ := next.GenerateDataKey(ctx, ec)
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if w.ID() != cur.ID() {
		t.Errorf("Open with a next key: wraps under %s, want the key file's %s", w.ID(), cur.ID())
	}
	if _, err := w.Decrypt(ctx, underNext, ec); err != nil {
		t.Errorf("Open with a next key: cannot unwrap under it: %v", err)
	}
	if fi, err := os.Stat(path + NextSuffix); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("next key file: got %v, %v; want mode 0600", fi, err)
	}
}
