// Package motoserver starts a real AWS API (DynamoDB, KMS, Secrets Manager) on loopback for
// tests: `moto_server` from the Python moto package, on a free port, stopped when the test ends.
//
// Set KEYPORT_MOTO_ENDPOINT to reuse a server that is already running (the Makefile's
// `make moto` prints one).
package motoserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

var (
	shared     string
	sharedErr  error
	sharedOnce sync.Once
)

// Start returns the endpoint URL ("http://127.0.0.1:PORT") of a moto server shared by every
// test in this test binary. The server is started on first use and stopped by the process's
// end (tests call Stop from TestMain when they want it gone sooner). It skips nothing: a
// machine without moto_server fails the test, because the real API is the point.
func Start(t testing.TB) string {
	t.Helper()
	if ep := os.Getenv("KEYPORT_MOTO_ENDPOINT"); ep != "" {
		return ep
	}
	sharedOnce.Do(func() { shared, proc, sharedErr = launch() })
	if sharedErr != nil {
		t.Fatalf("moto_server: %v", sharedErr)
	}
	return shared
}

var proc *exec.Cmd

// Stop ends the server Start launched, if any. Call it from TestMain after m.Run.
func Stop() {
	if proc != nil && proc.Process != nil {
		_ = proc.Process.Kill()
		_, _ = proc.Process.Wait()
	}
}

// Server is a moto server of one test's own, for tests that stop it (Pause) to play a stalled
// backend, which would stall every other test sharing the server Start gives.
type Server struct {
	Endpoint string
	cmd      *exec.Cmd
}

// Own starts a moto server for t alone; it is killed when t ends (resumed first, if paused).
func Own(t testing.TB) *Server {
	t.Helper()
	ep, cmd, err := launch()
	if err != nil {
		t.Fatalf("moto_server: %v", err)
	}
	s := &Server{Endpoint: ep, cmd: cmd}
	t.Cleanup(func() {
		_ = s.Resume()
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
	})
	return s
}

// Pause stops the server process (SIGSTOP): connections are still accepted by the kernel, but
// nothing is answered, as with a backend that has stalled.
func (s *Server) Pause() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume continues a paused server (SIGCONT).
func (s *Server) Resume() error { return s.cmd.Process.Signal(syscall.SIGCONT) }

func launch() (string, *exec.Cmd, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			return "", nil, err
		}
		cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
		cmd.Stdout, cmd.Stderr = nil, nil
		// The kernel kills the server when the test binary dies, even on a panic or a
		// package that never calls Stop, so no run leaves a moto_server behind.
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			return "", nil, fmt.Errorf("start moto_server (is Python moto installed?): %w", err)
		}
		ep := fmt.Sprintf("http://127.0.0.1:%d", port)
		if err := waitReady(ep, 30*time.Second); err != nil {
			_ = cmd.Process.Kill()
			_, _ = cmd.Process.Wait()
			lastErr = err
			continue
		}
		return ep, cmd, nil
	}
	return "", nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(ep string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(ep + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("moto_server at %s not ready after %s", ep, limit)
}

// AWSConfig returns an AWS SDK config aimed at endpoint with fixed test credentials.
func AWSConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// Reset wipes every resource in the moto server, for tests that need a clean account.
func Reset(ctx context.Context, endpoint string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
