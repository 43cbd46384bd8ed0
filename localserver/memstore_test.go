package localserver

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestMemoryStore runs the real process entry with -store memory: every vendor's create works
// through its own client, and the data directory is never created (no store file, no key file,
// no audit file).
func TestMemoryStore(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "never")
	addr, _, stop := startServerWith(t, config{storeKind: "memory", keyLimit: 500, dataDir: dataDir})
	defer stop()
	clients := newVendorClients(t, addr)
	for i, op := range operations {
		if err := clients.create(context.Background(), op, i, randomSecret(t, "Sec_")); err != nil {
			t.Fatalf("%s create on the memory store: %v", op, err)
		}
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("data directory %s: got stat error %v, want it never created", dataDir, err)
	}
}
