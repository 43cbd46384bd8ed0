package localserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/localdata"
)

// keyportBinary builds cmd/keyport as `make run` does, once per test.
func keyportBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "keyport")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/keyport").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProcess runs the binary on dataDir and waits until its health answers 200.
func startProcess(t *testing.T, bin, dataDir string) (*exec.Cmd, string) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "-addr", addr, "-data", dataDir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + healthPath); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd, addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("keyport on %s did not become ready", dataDir)
		}
	}
}

// createK5 creates a K5 secret holding payload and returns its id, or "" when not acknowledged.
func createK5(addr, name, payload string) string {
	body, _ := json.Marshal(map[string]string{"name": name, "payload": base64.StdEncoding.EncodeToString([]byte(payload)),
		"payload_content_encoding": "base64", "payload_content_type": "application/octet-stream"})
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/"+credentials.DevK5Tenant+"/secrets", bytes.NewReader(body))
	req.Header.Set("X-Auth-Token", credentials.DevK5Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var out struct {
		SecretRef string `json:"secret_ref"`
	}
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&out) != nil {
		return ""
	}
	return out.SecretRef[strings.LastIndex(out.SecretRef, "/")+1:]
}

func payloadK5(t *testing.T, addr, id string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/"+credentials.DevK5Tenant+"/secrets/"+id+"/payload", nil)
	req.Header.Set("X-Auth-Token", credentials.DevK5Token)
	req.Header.Set("Accept", "application/octet-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("status %d", resp.StatusCode)
	}
	return string(b)
}

// TestBackupUnderLoadThenKill runs keyport as a process under a load of creates, takes
// `keyport backup` while the load goes on, kills the server with SIGKILL, restores the backup
// into an empty data directory and finds there every create acknowledged before the backup
// began, readable; the killed server's own directory still holds every acknowledged create.
func TestBackupUnderLoadThenKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := keyportBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	server, addr := startProcess(t, bin, dir)

	var (
		mu      sync.Mutex
		acked   = map[string]string{} // id -> payload
		stopped = make(chan struct{})
		wg      sync.WaitGroup
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stopped:
					return
				default:
				}
				payload := fmt.Sprintf("payload-%d-%d", w, i)
				if id := createK5(addr, fmt.Sprintf("s%d-%d", w, i), payload); id != "" {
					mu.Lock()
					acked[id] = payload
					mu.Unlock()
				}
			}
		}()
	}
	for n := 0; n < 100; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n = len(acked)
		mu.Unlock()
	}
	mu.Lock()
	before := make(map[string]string, len(acked))
	for id, p := range acked {
		before[id] = p
	}
	mu.Unlock()
	backup := filepath.Join(t.TempDir(), "keyport.backup")
	if out, err := exec.Command(bin, "backup", "-data", dir, backup).CombinedOutput(); err != nil {
		t.Fatalf("keyport backup: %v\n%s", err, out)
	}
	time.Sleep(100 * time.Millisecond) // the load goes on past the backup
	if err := server.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = server.Process.Wait()
	close(stopped)
	wg.Wait()

	restored := filepath.Join(t.TempDir(), "restored")
	if out, err := exec.Command(bin, "restore", "-data", restored, backup).CombinedOutput(); err != nil {
		t.Fatalf("keyport restore: %v\n%s", err, out)
	}
	key, err := os.ReadFile(filepath.Join(dir, localdata.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, localdata.KeyFile), key, 0o600); err != nil {
		t.Fatal(err)
	}
	_, raddr := startProcess(t, bin, restored)
	for id, want := range before {
		if got := payloadK5(t, raddr, id); got != want {
			t.Errorf("restored secret %s: got %q, want %q", id, got, want)
		}
	}
	_, kaddr := startProcess(t, bin, dir)
	for id, want := range acked {
		if got := payloadK5(t, kaddr, id); got != want {
			t.Errorf("secret %s after kill -9: got %q, want %q", id, got, want)
		}
	}
	t.Logf("%d creates acknowledged before the backup, %d in all", len(before), len(acked))
}

// restore refuses a data directory that already holds a store, and a file that is not one.
func TestRestoreRefuses(t *testing.T) {
	d, err := localdata.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	junk := filepath.Join(t.TempDir(), "junk")
	os.WriteFile(junk, []byte("not a store"), 0o600)
	if err := Restore(d.Dir, junk); err == nil || !strings.Contains(err.Error(), "already holds a store") {
		t.Errorf("restore into a directory with a store: got %v, want a refusal", err)
	}
	empty := t.TempDir()
	if err := Restore(empty, junk); err == nil || !strings.Contains(err.Error(), "not a keyport store") {
		t.Errorf("restore of a file that is not a store: got %v, want a refusal", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a refused restore left %d files behind", len(entries))
	}
}

// The backup socket is its owner's only, and the server removes it when it stops.
func TestBackupSocket(t *testing.T) {
	dir := t.TempDir()
	s, _, err := startSeeded(t, "bolt", dir, writeSeed(t, `{"seeds":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, SocketFile)
	if fi, err := os.Stat(path); err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup socket: got %v, %v; want a socket with mode 0600", fi, err)
	}
	var out bytes.Buffer
	if n, err := Backup(t.Context(), dir, &out); err != nil || n == 0 || int64(out.Len()) != n {
		t.Errorf("Backup from the running server: got %d bytes (%d written), %v", n, out.Len(), err)
	}
	s.Shutdown(t.Context())
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("backup socket after shutdown: got %v, want it removed", err)
	}
}
