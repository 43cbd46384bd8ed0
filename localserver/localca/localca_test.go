package localca

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadCreatesThenReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: got error %v, want nil", err)
	}
	for _, f := range []struct {
		name string
		mode os.FileMode
	}{{CertFile, 0o644}, {KeyFile, 0o600}} {
		fi, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil || fi.Mode().Perm() != f.mode {
			t.Errorf("%s: got %v, %v; want mode %v", f.name, fi, err, f.mode)
		}
	}
	again, err := Load(dir)
	if err != nil || !bytes.Equal(again.CertPEM(), first.CertPEM()) {
		t.Errorf("second Load: got error %v or another CA, want the same CA", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("data directory: got %d entries, want the two CA files only", len(entries))
	}
}

// The server certificate verifies, under the CA alone, for the default names and the extra
// ones, and for nothing else.
func TestServerCertificateNames(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ca.ServerConfig([]string{"keyport.test", "10.0.0.7"})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		ok   bool
	}{{"localhost", true}, {"127.0.0.1", true}, {"::1", true}, {"keyport.test", true}, {"10.0.0.7", true}, {"example.com", false}, {"10.0.0.8", false}} {
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: tt.name, Roots: ca.Pool()})
		if (err == nil) != tt.ok {
			t.Errorf("verify for %s: got error %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	other, _ := New()
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: other.Pool()}); err == nil {
		t.Error("verify under another CA: got nil error, want a failure")
	}
}

func TestLoadRefuses(t *testing.T) {
	t.Run("key readable by others", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := Load(dir); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(dir, KeyFile), 0o644)
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("Load: got %v, want a refusal naming the mode", err)
		}
	})
	t.Run("certificate of another key", func(t *testing.T) {
		dir, other := t.TempDir(), t.TempDir()
		if _, err := Load(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(other); err != nil {
			t.Fatal(err)
		}
		cert, _ := os.ReadFile(filepath.Join(other, CertFile))
		os.WriteFile(filepath.Join(dir, CertFile), cert, 0o644)
		if _, err := Load(dir); err == nil {
			t.Error("Load of a certificate and a key that do not match: got nil error")
		}
	})
}

// A crash after the key was written but before the certificate leaves a key alone: the next
// Load makes a whole new CA rather than failing.
func TestLoadAfterCrashBetweenFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, CertFile))
	if _, err := Load(dir); err != nil {
		t.Errorf("Load with only a key file: got %v, want a new CA", err)
	}
}
