package localserver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"keyport/shared/credentials"
)

// Hostile bodies: hostileClients clients at once, each posting hostileBodySize bytes to
// Tencent's POST / with headers that pass every check needing no body (a known SecretId, a
// fresh timestamp, the right credential scope) and a signature that cannot match: the worst an
// unauthenticated client can do, since only such a request gets its body read at all.
const (
	hostileClients  = 200
	hostileBodySize = 10_000_000
	// hostileBudgetMiB is the server's body budget (the default, 64 MiB).
	hostileBudgetMiB = defaultBodyBudget >> 20
	// maxHostileHWM is the bound on the server's peak resident memory: the body budget twice
	// over, because the garbage collector lets the heap reach twice what is live before it
	// collects bodies already answered (keyport runs GOGC=400 under a soft memory limit of twice
	// the budget plus 32 MiB, TuneGC), plus 48 MiB for the process itself (runtime,
	// bbolt, 200 connections' goroutines and buffers; 13 MiB at rest). Measured on two cores:
	// 80–90 MiB usually, 139 MiB at worst. Without the checks before reading and the budget, the
	// same load holds 200 × 10 MB, about 2 GB.
	maxHostileHWM = (2*hostileBudgetMiB + 48) << 20
)

// TestHostileBodiesStayWithinMemoryBound builds keyport as `make run` does (never with the
// race detector, which would multiply its memory, whatever this test binary was built with),
// starts it (bolt store, local key, the default body budget), sends it hostileClients
// concurrent hostile 10 MB bodies, and reads its VmHWM (peak resident set) from /proc. It asserts the bound, never a time, and that every client that got an
// client got Tencent's envelope: the signature refusal or the busy answer, never a reset.
func TestHostileBodiesStayWithinMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 2 GB over loopback")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "keyport")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/keyport").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	helper := exec.Command(bin, "-addr", addr, "-data", filepath.Join(dir, "data"))
	helper.Env = append(os.Environ(), "KEYPORT_BODY_BUDGET_MIB="+strconv.Itoa(hostileBudgetMiB))
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = helper.Process.Kill(); _, _ = helper.Process.Wait() })
	waitListening(t, addr)
	before := vmHWM(t, helper.Process.Pid)

	body := bytes.Repeat([]byte("x"), hostileBodySize)
	codes := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range hostileClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := postHostile(addr, body)
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	peak := vmHWM(t, helper.Process.Pid)
	t.Logf("server VmHWM: %d MiB before, %d MiB after %d concurrent %d-byte bodies (bound %d MiB); answers: %v",
		before>>20, peak>>20, hostileClients, hostileBodySize, maxHostileHWM>>20, codes)
	if peak > maxHostileHWM {
		t.Errorf("peak resident memory %d MiB, want at most %d MiB", peak>>20, maxHostileHWM>>20)
	}
	for code, n := range codes {
		if code != "AuthFailure.SignatureFailure" && code != "RequestLimitExceeded" {
			t.Errorf("%d clients got %q, want Tencent's signature refusal or its busy answer", n, code)
		}
	}
	if codes["RequestLimitExceeded"] == 0 || codes["AuthFailure.SignatureFailure"] == 0 {
		t.Errorf("got %v, want some bodies read (and refused for their signature) and some refused as busy", codes)
	}
}

// postHostile posts body with headers that pass Tencent's checks before the body, and returns
// the Tencent error code answered, or "transport: …" when no answer arrived.
func postHostile(addr string, body []byte) string {
	ts := time.Now().Unix()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-TC-Action", "CreateApiKey")
	req.Header.Set("X-TC-Version", "2018-08-08")
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("Authorization", fmt.Sprintf("TC3-HMAC-SHA256 Credential=%s/%s/apigateway/tc3_request, SignedHeaders=content-type;host, Signature=%s",
		credentials.DevTencentSecretID, time.Unix(ts, 0).UTC().Format("2006-01-02"), strings.Repeat("0", 64)))
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return "transport: " + err.Error()
	}
	defer resp.Body.Close()
	var env struct {
		Response struct{ Error struct{ Code string } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return fmt.Sprintf("status %d, not JSON", resp.StatusCode)
	}
	return env.Response.Error.Code
}

// vmHWM reads the peak resident set size of process pid, in bytes, from /proc/<pid>/status.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("helper did not listen on %s", addr)
}
