// Package localca is the local server's own certificate authority, for `keyport -tls`: a CA
// made on first use and kept in the data directory (ca.pem, which clients trust, and
// ca-key.pem, readable by its owner only), and a server certificate it issues at every start
// for localhost, 127.0.0.1, ::1 and any other names asked for. Clients then reach keyport over
// HTTPS, the vendors' default scheme, with only their endpoint changed and the CA trusted the
// usual way (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, a Go RootCAs).
//
// It is for development and tests. The CA's key sits on disk in the clear, protected only by
// its file mode: anyone who can read it can issue certificates that every client trusting
// ca.pem accepts, for any name. Trust ca.pem only where that is acceptable (a CI job, a
// developer's own machine), never system-wide on a shared one.
package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// The files a CA is kept in, inside the data directory.
const (
	CertFile = "ca.pem"
	KeyFile  = "ca-key.pem"
)

// Lifetimes: the CA long enough never to bother a developer, the server certificate within the
// 398 days some clients (Apple's) accept, and issued afresh at every start anyway.
const (
	caLifetime     = 10 * 365 * 24 * time.Hour
	serverLifetime = 397 * 24 * time.Hour
)

// DefaultNames are the names every server certificate holds.
var DefaultNames = []string{"localhost", "127.0.0.1", "::1"}

// CA is a certificate authority that issues keyport's server certificates.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
}

// New makes a CA held in memory only (keyporttest).
func New() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"keyport"}, CommonName: "keyport local CA " + now.UTC().Format("2006-01-02T15:04:05Z")},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	return parse(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), key)
}

func parse(certPEM []byte, key *ecdsa.PrivateKey) (*CA, error) {
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("localca: no certificate in the CA file")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	if !cert.IsCA || !key.PublicKey.Equal(cert.PublicKey) {
		return nil, errors.New("localca: the CA file and key file do not belong together")
	}
	return &CA{cert: cert, certPEM: certPEM, key: key}, nil
}

// serial is a random 128-bit certificate serial number.
func serial() *big.Int {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (Go 1.24)
	return new(big.Int).SetBytes(b)
}

// CertPEM is the CA certificate in PEM, what clients trust.
func (c *CA) CertPEM() []byte { return c.certPEM }

// Pool is a certificate pool holding only the CA, for a Go client's RootCAs.
func (c *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c.cert)
	return p
}

// ServerConfig issues a server certificate for DefaultNames and names (host names or IP
// addresses) and returns a TLS configuration serving it, TLS 1.2 at least.
func (c *CA) ServerConfig(names []string) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{"keyport"}, CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(serverLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range append(append([]string(nil), DefaultNames...), names...) {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if n != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &key.PublicKey, c.key)
	if err != nil {
		return nil, fmt.Errorf("localca: issue server certificate: %w", err)
	}
	leaf := tls.Certificate{Certificate: [][]byte{der, c.cert.Raw}, PrivateKey: key}
	return &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}, nil
}

// Load opens the CA kept in dir, making it on first use: the directory with mode 0700, the key
// file with mode 0600 and the certificate with mode 0644, each written whole (a temporary file
// renamed into place, the key before the certificate). A directory with a key but no
// certificate, as a crash between the two leaves, gets a new CA.
func Load(dir string) (*CA, error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, CertFile))
	if errors.Is(err, os.ErrNotExist) {
		return create(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	key, err := loadKey(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	return parse(certPEM, key)
}

func loadKey(path string) (*ecdsa.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("localca: %s has mode %v; want no group or other access (chmod 600)", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("localca: no private key in %s", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("localca: %s: %w", path, err)
	}
	key, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("localca: %s does not hold an ECDSA key", path)
	}
	return key, nil
}

func create(dir string) (*CA, error) {
	ca, err := New()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		return nil, fmt.Errorf("localca: %w", err)
	}
	if err := writeFile(dir, KeyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return nil, err
	}
	if err := writeFile(dir, CertFile, ca.certPEM, 0o644); err != nil {
		return nil, err
	}
	return ca, nil
}

// writeFile writes b to dir/name through a synced temporary file renamed into place.
func writeFile(dir, name string, b []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(dir, "."+name+"-*")
	if err != nil {
		return fmt.Errorf("localca: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		return fmt.Errorf("localca: write %s: %w", name, err)
	}
	return nil
}
