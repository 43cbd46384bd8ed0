package localserver

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keyport/localserver/localca"
)

// startTLS starts the server with -tls (and -tls-names names) on dataDir and returns its
// address and banner; it stops with the test.
func startTLS(t *testing.T, dataDir string, names []string) (string, string) {
	t.Helper()
	cfg, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-data", dataDir, "-store", "memory", "-audit", "-", "-tls",
		"-tls-names", strings.Join(names, ",")}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var banner bytes.Buffer
	s, err := start(context.Background(), cfg, io.Discard, &banner)
	if err != nil {
		t.Fatalf("start with -tls: %v", err)
	}
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return s.Addr().String(), banner.String()
}

// -tls makes the CA on first use, writes it as ca.pem in the data directory, prints its path,
// keeps it across restarts, and serves a certificate for the default and the extra names.
func TestTLSFlag(t *testing.T) {
	dir := t.TempDir()
	addr, banner := startTLS(t, dir, []string{"keyport.test"})
	caPath := filepath.Join(dir, localca.CertFile)
	if !strings.Contains(banner, "https://"+addr) || !strings.Contains(banner, caPath) {
		t.Errorf("banner: got %q, want the https address and the CA's path %s", banner, caPath)
	}
	caPEM, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatalf("ca.pem: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	for _, name := range []string{"localhost", "127.0.0.1", "keyport.test"} {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: name}}
		resp, err := (&http.Client{Transport: tr}).Get("https://" + addr + healthPath)
		if err != nil {
			t.Errorf("health over HTTPS as %s: %v", name, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("health over HTTPS as %s: got %d, want 200", name, resp.StatusCode)
		}
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "other.test"}}
	if _, err := (&http.Client{Transport: tr}).Get("https://" + addr + healthPath); err == nil {
		t.Error("a name the certificate does not hold: got an answer, want a certificate error")
	}

	startTLS(t, dir, nil) // a restart keeps the CA clients already trust
	if again, _ := os.ReadFile(caPath); !bytes.Equal(again, caPEM) {
		t.Error("ca.pem changed across a restart, want the same CA")
	}
}
