package localserver

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"keyport/shared/localdata"
	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/store"
)

// openAll opens every sealed value in dir as the server would (localdata.Open, which loads an
// interrupted rotation's next key too) and returns how many values each key id wraps.
func openAll(t *testing.T, dir string) map[string]int {
	t.Helper()
	d, err := localdata.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	by := map[string]int{}
	_, err = d.Store.RewriteSealed(context.Background(), func(ref store.Ref, blob []byte) ([]byte, error) {
		if _, err := d.Sealer.Open(context.Background(), seal.Scope{Service: ref.Service, Tenant: ref.Tenant}, ref.AAD(), blob); err != nil {
			return nil, err
		}
		wrapped, _ := seal.WrappedKey(blob)
		id, _ := localkey.WrappedBy(wrapped)
		by[id]++
		return nil, nil
	})
	if err != nil {
		t.Fatalf("a sealed value does not open: %v", err)
	}
	return by
}

// seededDir is a data directory holding one seeded record of every vendor's create.
func seededDir(t *testing.T) (string, int) {
	t.Helper()
	dir := t.TempDir()
	s, _, err := startSeeded(t, "bolt", dir, writeSeed(t, seedDoc))
	if err != nil {
		t.Fatal(err)
	}
	s.Shutdown(context.Background())
	by := openAll(t, dir)
	total := 0
	for _, n := range by {
		total += n
	}
	if total < 5 {
		t.Fatalf("seeded %d sealed values, want one per vendor", total)
	}
	return dir, total
}

// Every point a rotation can stop at leaves every value readable; the finished rotation leaves
// one key, the next one, wrapping every value, and a seeded secret still reads the same.
func TestRotateKeyCrashPoints(t *testing.T) {
	ctx := context.Background()
	dir, total := seededDir(t)
	keyPath := filepath.Join(dir, localdata.KeyFile)
	oldKey, _ := os.ReadFile(keyPath)

	next, err := localkey.CreateNext(keyPath) // stopped after step 1
	if err != nil {
		t.Fatal(err)
	}
	openAll(t, dir)

	d, err := localdata.Open(dir) // stopped halfway through step 2
	if err != nil {
		t.Fatal(err)
	}
	sealer, half := seal.New(localkey.Ring(next, mustOpenKey(t, keyPath))), 0
	_, err = d.Store.RewriteSealed(ctx, func(ref store.Ref, blob []byte) ([]byte, error) {
		if half++; half > total/2 {
			return nil, nil
		}
		return rewrap(ctx, sealer, next.ID(), ref, blob)
	})
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	if by := openAll(t, dir); by[next.ID()] != total/2 {
		t.Errorf("after half a rewrap: got %v, want %d values under the next key", by, total/2)
	}

	if _, err := rewrapAll(ctx, dir, &bytes.Buffer{}); err != nil { // stopped before step 3
		t.Fatal(err)
	}
	if by := openAll(t, dir); by[next.ID()] != total {
		t.Errorf("after the rewrap: got %v, want all %d under the next key", by, total)
	}

	var report bytes.Buffer
	if err := RotateKey(ctx, dir, &report); err != nil {
		t.Fatalf("RotateKey: %v", err)
	}
	if by := openAll(t, dir); by[next.ID()] != total || len(by) != 1 {
		t.Errorf("after the rotation: got %v, want all %d under %s", by, total, next.ID())
	}
	if now, _ := os.ReadFile(keyPath); bytes.Equal(now, oldKey) {
		t.Error("master.key is unchanged after the rotation")
	}
	if _, err := os.Stat(keyPath + localkey.NextSuffix); !os.IsNotExist(err) {
		t.Errorf("master.key.next after the rotation: got %v, want it gone", err)
	}
	s, _, err := startSeeded(t, "bolt", dir, writeSeed(t, `{"seeds":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(ctx)
	got, err := newVendorClients(t, s.Addr().String()).alibaba.GetSecretValue(strPtr("seeded_secret"))
	if err != nil || *got.Body.Data.SecretData != "seeded-value" {
		t.Errorf("GetSecretValue after the rotation: got %v, %v; want seeded-value", got, err)
	}
}

func strPtr(s string) *string { return &s }

func mustOpenKey(t *testing.T, path string) *localkey.Wrapper {
	t.Helper()
	w, err := localkey.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// `keyport rotate-key` killed with SIGKILL at several moments leaves every value readable, and
// a rerun completes the rotation.
func TestRotateKeyKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := keyportBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	server, addr := startProcess(t, bin, dir)
	for i := range 600 {
		if createK5(addr, fmt.Sprint("r", i), fmt.Sprint("payload-", i)) == "" {
			t.Fatalf("create %d failed", i)
		}
	}
	server.Process.Signal(os.Interrupt)
	server.Process.Wait()
	for _, delay := range []time.Duration{0, 2 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond} {
		cmd := exec.Command(bin, "rotate-key", "-data", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		by := openAll(t, dir)
		t.Logf("killed after %v: values by key %v", delay, by)
	}
	if out, err := exec.Command(bin, "rotate-key", "-data", dir).CombinedOutput(); err != nil {
		t.Fatalf("rotate-key to the end: %v\n%s", err, out)
	}
	if by := openAll(t, dir); len(by) != 1 || by[mustOpenKey(t, filepath.Join(dir, localdata.KeyFile)).ID()] != 600 {
		t.Errorf("after the rotation completed: got %v, want all 600 values under the one key left", by)
	}
}
