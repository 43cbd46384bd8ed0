// Package keyporttest starts keyport inside a Go test, as a fake Tencent Cloud, Alibaba Cloud,
// Gcore and OpenStack key manager (K5 and upstream Barbican) endpoint: the whole local server
// (package localserver) on a free loopback port, on the memory store, stopped when the test
// ends. Each vendor's endpoint and the development credentials come back in the form its SDK
// takes, so a test changes nothing but its client's configuration:
//
//	kp := keyporttest.Start(t, keyporttest.Options{})
//	cpf := profile.NewClientProfile()
//	cpf.HttpProfile.Endpoint, cpf.HttpProfile.Scheme = kp.Tencent.Endpoint, kp.Tencent.Scheme
//	client := common.NewCommonClient(common.NewCredential(kp.Tencent.SecretID, kp.Tencent.SecretKey), "ap-guangzhou", cpf)
//
// The development credentials are public: a server started here listens on loopback only.
package keyporttest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"keyport/localserver"
	"keyport/localserver/localca"
	"keyport/shared/credentials"
)

// Options configure Start. The zero Options is what most tests want.
type Options struct {
	// Logs receives the server's request log (JSON lines) and Audit its audit trail; nil
	// discards them.
	Logs, Audit io.Writer
	// TLS serves HTTPS only, as the vendors' endpoints are, under a CA made for this server
	// (Server.CAFile, Server.CAPEM, Server.RootCAs), so SDKs keep their default scheme.
	TLS bool
	// Seed names a seed document (see docs/running.md) whose creates are made before Start
	// returns: fixtures every test of the server starts with.
	Seed string
}

// Server is a keyport server running for one test.
type Server struct {
	// URL is the server's base URL, e.g. "http://127.0.0.1:41234"; Host its host:port.
	URL, Host string

	Tencent Tencent
	Alibaba Alibaba
	Gcore   Gcore
	// K5 is a gophercloud key-manager client for the K5 layout (/v1/{tenant_id}/secrets) and
	// Barbican one for upstream Barbican's (/v1/secrets), both with the development token:
	// pass either to gophercloud's keymanager/v1/secrets functions.
	K5, Barbican *gophercloud.ServiceClient

	// HTTPClient reaches the server (trusting its CA under TLS): give it, or its Transport, to
	// a client that takes one (tencentcloud-sdk-go's WithHttpTransport, say).
	HTTPClient *http.Client
	// Under TLS: the CA certificate's file (for SSL_CERT_FILE or NODE_EXTRA_CA_CERTS, e.g. for
	// a CLI the test runs), its PEM (Alibaba's openapi Config.Ca) and a pool holding it (a Go
	// tls.Config's RootCAs). Empty without TLS.
	CAFile, CAPEM string
	RootCAs       *x509.CertPool
}

// Tencent is what tencentcloud-sdk-go's profile and credential take: Endpoint goes in
// HttpProfile.Endpoint (host:port, no scheme), Scheme in HttpProfile.Scheme. Any region works.
type Tencent struct {
	Endpoint, Scheme    string
	SecretID, SecretKey string
}

// Alibaba is what the Alibaba Cloud SDKs' openapi Config takes: Endpoint (host:port, no
// scheme), Protocol, AccessKeyId and AccessKeySecret.
type Alibaba struct {
	Endpoint, Protocol           string
	AccessKeyID, AccessKeySecret string
}

// Gcore is what a Gcore client takes: BaseURL (the API's base, without /cloud), the API key
// (sent as "Authorization: APIKey <key>") and the project it may use. Any region id works.
type Gcore struct {
	BaseURL, APIKey string
	ProjectID       int
}

// Start runs a server for t on the memory store and returns once it is ready; it stops, and
// its records are gone, when t ends. A failure to start fails t.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	lo := localserver.Options{AllowReset: true, Logs: o.Logs, Audit: o.Audit, SeedFile: o.Seed}
	if o.TLS {
		ca, err := localca.New()
		if err != nil {
			t.Fatalf("keyporttest: %v", err)
		}
		lo.CA = ca
	}
	srv, err := localserver.Start(context.Background(), lo)
	if err != nil {
		t.Fatalf("keyporttest: start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("keyporttest: stop: %v", err)
		}
	})
	host := srv.Addr().String()
	if lo.CA == nil {
		return newServer("http", host, &http.Client{})
	}
	caFile := filepath.Join(t.TempDir(), localca.CertFile)
	if err := os.WriteFile(caFile, lo.CA.CertPEM(), 0o644); err != nil {
		t.Fatalf("keyporttest: %v", err)
	}
	pool := lo.CA.Pool()
	s := newServer("https", host, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}})
	s.CAFile, s.CAPEM, s.RootCAs = caFile, string(lo.CA.CertPEM()), pool
	return s
}

func newServer(scheme, host string, client *http.Client) *Server {
	url := scheme + "://" + host
	return &Server{
		URL: url, Host: host, HTTPClient: client,
		Tencent: Tencent{Endpoint: host, Scheme: strings.ToUpper(scheme),
			SecretID: credentials.DevTencentSecretID, SecretKey: credentials.DevTencentSecretKey},
		Alibaba: Alibaba{Endpoint: host, Protocol: scheme,
			AccessKeyID: credentials.DevAlibabaKeyID, AccessKeySecret: credentials.DevAlibabaSecret},
		Gcore:    Gcore{BaseURL: url, APIKey: credentials.DevGcoreAPIKey, ProjectID: credentials.DevGcoreProject},
		K5:       keyManager(url, "/v1/"+credentials.DevK5Tenant+"/", client),
		Barbican: keyManager(url, "/v1/", client),
	}
}

func keyManager(url, base string, client *http.Client) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{HTTPClient: *client}
	pc.SetToken(credentials.DevK5Token)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: url + "/", ResourceBase: url + base}
}

// Reset removes every record the server holds, so the next test starts from none.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	resp, err := s.HTTPClient.Post(s.URL+"/_keyport/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("keyporttest: reset: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var body struct{ Code, Message string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		t.Fatalf("keyporttest: reset: %s", fmt.Sprintf("status %d %s: %s", resp.StatusCode, body.Code, body.Message))
	}
}
