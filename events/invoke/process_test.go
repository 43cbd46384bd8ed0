//go:build invoke

package invoke

import (
	"bytes"
	"fmt"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// process is one running function, as Lambda's execution environment runs it: the asset's
// bootstrap (or the emulator that runs it), in the asset directory, with the template's
// environment plus the variables Lambda sets itself. It leads its own process group, so
// stopping it stops the emulator's bootstrap too.
type process struct {
	cmd     *exec.Cmd
	out     *syncBuffer
	started time.Time
	exited  chan struct{}
	waitErr error
}

// lambdaEnv is what the Lambda service sets for every function (the reserved variables), with
// the AWS SDK aimed at moto instead of the real endpoints and credentials.
func lambdaEnv(fn *lambdaFunction, runtimeAPI, motoEndpoint string) map[string]string {
	return map[string]string{
		"AWS_LAMBDA_RUNTIME_API":          runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME":        fn.name,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(fn.props.MemorySize),
		"AWS_EXECUTION_ENV":               "AWS_Lambda_" + fn.props.Runtime,
		"LAMBDA_TASK_ROOT":                fn.assetDir,
		"_HANDLER":                        fn.props.Handler,
		"TZ":                              ":UTC",
		"PATH":                            "/usr/local/bin:/usr/bin:/bin",
		"AWS_REGION":                      "us-east-1",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"AWS_ACCESS_KEY_ID":               "testing",
		"AWS_SECRET_ACCESS_KEY":           "testing",
		"AWS_ENDPOINT_URL":                motoEndpoint,
	}
}

// startProcess runs argv in fn's asset directory with env (and nothing inherited from the test
// process). The process group is killed when the test ends.
func startProcess(t *testing.T, fn *lambdaFunction, argv []string, env map[string]string) *process {
	t.Helper()
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	p := &process{out: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(argv[0], argv[1:]...)
	p.cmd.Dir = fn.assetDir
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	for _, k := range keys {
		p.cmd.Env = append(p.cmd.Env, k+"="+env[k])
	}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", fn.name, err)
	}
	go func() { p.waitErr = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s output:\n%s", fn.name, p.out.String())
		}
	})
	return p
}

// stop kills the process group (Lambda freezes, then eventually kills, an idle environment),
// including what the process left behind if it exited, and waits for the process.
func (p *process) stop() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.exited
}

// exitCode is the process's exit status once it has exited on its own, or -1 while running.
func (p *process) exitCode() int {
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	default:
		return -1
	}
}

// syncBuffer collects the process's stdout and stderr (its CloudWatch log stream).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// size formats a byte count for the log.
func size(n int64) string { return fmt.Sprintf("%.1f MiB (%d bytes)", float64(n)/(1<<20), n) }
