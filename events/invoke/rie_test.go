//go:build invoke

package invoke

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rieBinary is the AWS Lambda Runtime Interface Emulator (cmd/aws-lambda-rie, the component
// `sam local invoke` runs in its container), built by `make rie` at a pinned version into the
// cache outside the checkout.
var rieBinary = os.Getenv("KEYPORT_RIE")

// emulated is one function running under the emulator: the emulator process (its child is the
// asset's bootstrap) and the address of its invoke API, loopback only.
type emulated struct {
	p   *process
	url string
	fn  *lambdaFunction
}

// rieEnv is the emulator's environment, which it hands on to the bootstrap: what Lambda sets
// for every function (lambdaEnv, less AWS_LAMBDA_RUNTIME_API, which the emulator sets to its
// own Runtime API) plus AWS_LAMBDA_FUNCTION_TIMEOUT, the emulator's setting for the
// template's timeout: the deadline it gives each invocation and when it gives up on one.
func rieEnv(fn *lambdaFunction, motoEndpoint string) map[string]string {
	env := lambdaEnv(fn, "", motoEndpoint)
	delete(env, "AWS_LAMBDA_RUNTIME_API")
	env["AWS_LAMBDA_FUNCTION_TIMEOUT"] = strconv.Itoa(fn.props.Timeout)
	return env
}

// startRIE runs fn's bootstrap under the emulator with env. The emulator initializes the
// function on the first invocation, as Lambda does on a cold start.
func startRIE(t *testing.T, fn *lambdaFunction, env map[string]string) *emulated {
	t.Helper()
	if rieBinary == "" {
		t.Fatal("KEYPORT_RIE is unset: run `make invoke-test`, which builds the emulator")
	}
	addrs := freeAddrs(t, 2)
	invokeAddr, runtimeAddr := addrs[0], addrs[1]
	p := startProcess(t, fn, []string{rieBinary,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr,
		filepath.Join(fn.assetDir, "bootstrap")}, env)
	deadline := time.Now().Add(10 * time.Second) // a hang guard, not a measurement
	for {
		c, err := net.Dial("tcp", invokeAddr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) || p.exitCode() != -1 {
			t.Fatalf("the emulator for %s does not listen on %s: %v; output:\n%s", fn.name, invokeAddr, err, p.out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return &emulated{p: p, url: "http://" + invokeAddr + "/2015-03-31/functions/function/invocations", fn: fn}
}

// freeAddrs returns n distinct loopback addresses whose ports the kernel just had free (all
// held at once, so no two are the same).
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	var addrs []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs
}

// invoke posts payload to the emulator's invoke API, as `sam local invoke` does.
func (e *emulated) invoke(ctx context.Context, payload []byte) (outcome, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(payload))
	if err != nil {
		return outcome{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return outcome{}, fmt.Errorf("%w (emulator exit code %d)", err, e.p.exitCode())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return outcome{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return outcome{}, fmt.Errorf("the emulator answered %s: %s", resp.Status, body)
	}
	// A function error (the runtime posted to /error) comes back as 200 with its error document.
	var fnErr struct {
		ErrorType  string `json:"errorType"`
		StatusCode int    `json:"statusCode"`
	}
	if json.Unmarshal(body, &fnErr) == nil && fnErr.ErrorType != "" && fnErr.StatusCode == 0 {
		return outcome{body: body, errorType: fnErr.ErrorType, at: time.Now()}, nil
	}
	return outcome{body: body, at: time.Now()}, nil
}

// bootstrapPID is the emulator's child process, the function's bootstrap, or 0 when it has none.
func (e *emulated) bootstrapPID() int {
	parent := strconv.Itoa(e.p.cmd.Process.Pid)
	entries, _ := os.ReadDir("/proc")
	for _, ent := range entries {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + ent.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
		i := bytes.LastIndexByte(stat, ')')
		if f := strings.Fields(string(stat[i+1:])); i > 0 && len(f) > 1 && f[1] == parent {
			return pid
		}
	}
	return 0
}

// peakRSS is the bootstrap's peak resident memory (VmHWM), in MiB.
func peakRSS(pid int) (float64, error) {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB$`).FindSubmatch(status)
	if m == nil {
		return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return float64(kb) / 1024, nil
}

// reportDurations are the invocation durations, in milliseconds, of the emulator's REPORT lines.
// Its Init Duration is left out: the emulator starts the bootstrap without waiting for its
// init, which it then waits for inside the first invocation, so the first duration is the cold
// start (bootstrap init plus the request) and the Init Duration is always about 0.
func reportDurations(out string) []float64 {
	var durations []float64
	re := regexp.MustCompile(`REPORT RequestId: \S+\t(?:Init Duration: [0-9.]+ ms\t)?Duration: ([0-9.]+) ms`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		d, _ := strconv.ParseFloat(m[1], 64)
		durations = append(durations, d)
	}
	return durations
}
