package localkey_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/seal/sealtest"
)

func TestConformance(t *testing.T) {
	w, err := localkey.Open(filepath.Join(t.TempDir(), "master.key"))
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	sealtest.Run(t, w)
}

func TestOpenCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "keys")
	path := filepath.Join(dir, "master.key")
	if _, err := localkey.Open(path); err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{{dir, 0o700}, {path, 0o600}} {
		fi, err := os.Stat(c.path)
		if err != nil {
			t.Fatalf("Stat(%s): %v", c.path, err)
		}
		if got := fi.Mode().Perm(); got != c.mode {
			t.Errorf("%s: got mode %v, want %v", c.path, got, c.mode)
		}
	}
	if fi, _ := os.Stat(path); fi.Size() != 32 {
		t.Errorf("key file: got %d bytes, want 32", fi.Size())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("key dir: got %d entries, want only the key file (temp file left behind?)", len(entries))
	}
}

func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name string
		mode os.FileMode
		size int
		want string // part of the error
	}{
		{"GroupReadable", 0o640, 32, "mode"},
		{"WorldReadable", 0o644, 32, "mode"},
		{"GroupWritable", 0o620, 32, "mode"},
		{"TooShort", 0o600, 31, "31 bytes"},
		{"TooLong", 0o600, 33, "33 bytes"},
		{"EmptyFile", 0o600, 0, "0 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			writeKey(t, path, bytes.Repeat([]byte{7}, tt.size), tt.mode)
			_, err := localkey.Open(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: got error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	t.Run("Directory", func(t *testing.T) {
		if _, err := localkey.Open(t.TempDir()); err == nil {
			t.Errorf("Open(directory): got nil error, want a refusal")
		}
	})
}

// TestErrorsHoldNoKey checks a refused key file's error does not echo its content.
func TestErrorsHoldNoKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	key := []byte("0123456789abcdef0123456789abcdef")
	writeKey(t, path, key, 0o644)
	_, err := localkey.Open(path)
	if err == nil || strings.Contains(err.Error(), string(key[:8])) {
		t.Errorf("Open: got error %v, want a refusal that does not show the key", err)
	}
}

func TestReopenOpensOldBlobs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	scope := seal.Scope{Service: "k5-keymanager", Tenant: "a759452216fd41cf8ee5aba321cfbd49"}
	aad := []byte("k5-keymanager/secret/a759452216fd41cf8ee5aba321cfbd49/x")
	want := []byte("kept across restarts")

	first := mustOpen(t, path)
	blob, err := seal.New(first).Seal(t.Context(), scope, aad, want)
	if err != nil {
		t.Fatalf("Seal: got error %v, want nil", err)
	}
	got, err := seal.New(mustOpen(t, path)).Open(t.Context(), scope, aad, blob)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("reopened key: got %q, %v; want %q, nil", got, err, want)
	}

	other := mustOpen(t, filepath.Join(t.TempDir(), "master.key"))
	if _, err := seal.New(other).Open(t.Context(), scope, aad, blob); err != seal.ErrOpen {
		t.Errorf("another master key: got error %v, want %v", err, seal.ErrOpen)
	}
}

// TestCanonicalContext checks contexts that would collide under naive concatenation of keys
// and values are kept apart.
func TestCanonicalContext(t *testing.T) {
	w := mustOpen(t, filepath.Join(t.TempDir(), "master.key"))
	pairs := []struct{ wrap, open map[string]string }{
		{map[string]string{"a": "bc"}, map[string]string{"ab": "c"}},
		{map[string]string{"service": "xtenanty", "tenant": "z"}, map[string]string{"service": "x", "tenant": "ytenantz"}},
		{map[string]string{"a": ""}, map[string]string{}},
	}
	for _, p := range pairs {
		_, wrapped, err := w.GenerateDataKey(t.Context(), p.wrap)
		if err != nil {
			t.Fatalf("GenerateDataKey: %v", err)
		}
		if _, err := w.Decrypt(t.Context(), wrapped, p.open); err == nil {
			t.Errorf("wrapped with %v, opened with %v: got nil error, want a refusal", p.wrap, p.open)
		}
	}
}

func mustOpen(t *testing.T, path string) *localkey.Wrapper {
	t.Helper()
	w, err := localkey.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): got error %v, want nil", path, err)
	}
	return w
}

// writeKey writes a key file with exactly mode, whatever the umask.
func writeKey(t *testing.T, path string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentFirstOpen checks that processes racing to create the key all end up with the
// one key on disk: a blob sealed through any of them opens through every other.
func TestConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "master.key")
	const n = 8
	ws := make([]*localkey.Wrapper, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { ws[i], errs[i] = localkey.Open(path) })
	}
	wg.Wait()
	scope := seal.Scope{Service: "gcore-cloud", Tenant: "1"}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open #%d: got error %v, want nil", i, err)
		}
	}
	blob, err := seal.New(ws[0]).Seal(t.Context(), scope, nil, []byte("x"))
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	for i, w := range ws {
		if _, err := seal.New(w).Open(t.Context(), scope, nil, blob); err != nil {
			t.Errorf("wrapper #%d: got error %v opening #0's blob, want nil", i, err)
		}
	}
}

func TestEphemeralConformance(t *testing.T) {
	sealtest.Run(t, localkey.Ephemeral())
}

// Two ephemeral wrappers hold different keys: one cannot open what the other sealed.
func TestEphemeralKeysDiffer(t *testing.T) {
	a, b := seal.New(localkey.Ephemeral()), seal.New(localkey.Ephemeral())
	scope := seal.Scope{Service: "svc", Tenant: "t"}
	blob, err := a.Seal(t.Context(), scope, []byte("aad"), []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(t.Context(), scope, []byte("aad"), blob); err == nil {
		t.Error("Open under another ephemeral key: got nil error, want a failure")
	}
}
