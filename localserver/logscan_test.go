package localserver

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Reset empties the buffer.
func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs the real process entry (run) on a free loopback port with a fresh data
// directory and returns its host:port, its log output and a stop function that waits for a
// clean shutdown.
func startServer(t testing.TB, keyLimit int64) (string, *syncBuffer, func()) {
	return startServerWith(t, config{storeKind: "bolt", keyLimit: keyLimit})
}

// startServerWith is startServer with a given configuration; the address and (unless given)
// the data directory are filled in.
func startServerWith(t testing.TB, cfg config) (string, *syncBuffer, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg.addr = addr
	if cfg.dataDir == "" {
		cfg.dataDir = t.TempDir()
	}
	logs, banner := &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, logs, banner) }()
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start; banner: %s", banner.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run returned %v", err)
		}
	}
	return addr, logs, stop
}

func randomSecret(t testing.TB, prefix string) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

// TestLogsHoldNoSecret drives every operation through its vendor's client, successes and
// refusals alike, then scans the full log output of the run for every secret value sent, in
// clear and in the encodings the wires carry (base64).
func TestLogsHoldNoSecret(t *testing.T) {
	addr, logs, stop := startServer(t, 500)
	clients := newVendorClients(t, addr)
	ctx := context.Background()

	var sent []string
	for i, op := range operations {
		secret := randomSecret(t, "Sec_")
		sent = append(sent, secret)
		if err := clients.create(ctx, op, i, secret); err != nil {
			t.Fatalf("%s create: %v", op, err)
		}
		// The same request again: refused by a uniqueness rule where the operation has one,
		// so the refusal paths are logged too.
		again := randomSecret(t, "Sec_")
		sent = append(sent, again)
		_ = clients.create(ctx, op, i, again)
	}
	stop()

	out := logs.String()
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var entry map[string]any
		if err := json.Unmarshal(sc.Bytes(), &entry); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		if entry["msg"] == "request" {
			lines++
			if id, _ := entry["request_id"].(string); id == "" {
				t.Errorf("request log line without request_id: %s", sc.Text())
			}
		}
	}
	// Gcore's create is followed by a task read: one extra request per Gcore create.
	if want := 2*len(operations) + 2; lines < want {
		t.Errorf("got %d request log lines, want at least %d", lines, want)
	}
	for _, s := range sent {
		for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), teoKey(s)} {
			if strings.Contains(out, form) {
				t.Errorf("log output contains a secret value sent (%.8s…)", form)
			}
		}
	}
}
