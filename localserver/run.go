// Package localserver is keyport's local server: all five vendors' APIs from one process on one
// port, the way a newcomer or a CI job gets a working fake Tencent/Alibaba/Gcore/K5 endpoint.
// cmd/keyport runs it from flags and the environment (`make run`); keyporttest starts it inside
// a Go test.
//
// By default it keeps records in an embedded single-file store and seals secrets under a local
// key file, both under the data directory. With -store memory it keeps both in memory only;
// with -store dynamodb it uses DynamoDB and KMS instead (AWS_ENDPOINT_URL points the AWS SDK at,
// for example, moto_server).
//
// ParseArgs is the only place that reads flags; environment variables reach it only through
// the getenv function it is given.
package localserver

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"keyport/localserver/localca"
	"keyport/shared/audit"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
	"keyport/shared/web"
)

// config is everything the process reads from flags and the environment.
type config struct {
	addr            string
	dataDir         string
	credentialsFile string
	storeKind       string // "bolt", "memory" or "dynamodb"
	table           string
	kmsKeyID        string
	createTable     bool
	keyLimit        int64
	auditPath       string        // "" means auditFile under dataDir; "-" means standard error
	writeTimeout    time.Duration // the server's WriteTimeout; each request's budget is computed from it
	bodyBudget      int64         // bytes of request bodies held at once; 0 means defaultBodyBudget
	allowReset      bool          // POST /_keyport/reset may wipe the store
	auditOut        io.Writer     // where the trail goes, when set (Start); else auditPath
	tls             bool          // serve HTTPS under the local CA (localca)
	tlsNames        []string      // names the server certificate holds besides localca.DefaultNames
	ca              *localca.CA   // the CA, when given (Start); else the data directory's
	seedFile        string        // creates made at start-up, once per store (seed.go)
	keyCache        seal.Cache    // data-key reuse by the sealer (the zero Cache: one key per value)
	cpuProfile      string        // a developer's CPU profile of the whole run, written at exit ("" for none)
}

// defaultBodyBudget is the request-body bytes the server holds at once: six of Tencent's 10 MB
// bodies, or 64 of the other vendors' 1 MB ones, in well under the memory of the smallest
// machine keyport is meant to run on. Past it, requests get the vendor's busy answer.
const defaultBodyBudget = 64 << 20

// defaultWriteTimeout is the server's write timeout unless -write-timeout says otherwise.
const defaultWriteTimeout = 30 * time.Second

// auditFile is the audit trail's file name under the data directory, the default.
const auditFile = "audit.log"

// Config is the server's configuration as ParseArgs reads it.
type Config struct{ c config }

// ParseArgs reads the server's flags from args, each defaulting to its environment variable
// (read through getenv), as `keyport` does.
func ParseArgs(args []string, getenv func(string) string) (Config, error) {
	c, err := parseConfig(args, getenv)
	return Config{c}, err
}

// Run serves cfg until ctx ends. Logs (JSON, one line per request) go to logOut; the audit
// trail to the configured file; the start-up banner to banner (the process's standard error).
func Run(ctx context.Context, cfg Config, logOut, banner io.Writer) error {
	return run(ctx, cfg.c, logOut, banner)
}

func parseConfig(args []string, getenv func(string) string) (config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("keyport", flag.ContinueOnError)
	var cfg config
	fs.StringVar(&cfg.addr, "addr", env("KEYPORT_ADDR", "127.0.0.1:8080"), "listen address (env KEYPORT_ADDR)")
	fs.StringVar(&cfg.dataDir, "data", env("KEYPORT_DATA_DIR", ".keyport"), "data directory for the embedded store and local key (env KEYPORT_DATA_DIR)")
	fs.StringVar(&cfg.credentialsFile, "credentials", env("KEYPORT_CREDENTIALS_FILE", ""), "credentials JSON file; empty uses the development credentials (env KEYPORT_CREDENTIALS_FILE)")
	fs.StringVar(&cfg.storeKind, "store", env("KEYPORT_STORE", "bolt"), "bolt (embedded), memory (nothing on disk, gone at exit) or dynamodb (with KMS) (env KEYPORT_STORE)")
	fs.StringVar(&cfg.table, "table", env("KEYPORT_TABLE", "keyport"), "DynamoDB table, with -store dynamodb (env KEYPORT_TABLE)")
	fs.StringVar(&cfg.kmsKeyID, "kms-key", env("KEYPORT_KMS_KEY_ID", ""), "KMS key id or ARN, with -store dynamodb; empty creates one (env KEYPORT_KMS_KEY_ID)")
	fs.BoolVar(&cfg.createTable, "create-table", env("KEYPORT_CREATE_TABLE", "") == "true", "create the DynamoDB table if missing (env KEYPORT_CREATE_TABLE=true)")
	fs.StringVar(&cfg.auditPath, "audit", env("KEYPORT_AUDIT_FILE", ""), "file the audit trail (one JSON event per request) is appended to; empty means "+auditFile+" in the data directory, - means standard error (env KEYPORT_AUDIT_FILE)")
	fs.BoolVar(&cfg.allowReset, "allow-reset", env("KEYPORT_ALLOW_RESET", "") == "true", "let POST /_keyport/reset wipe every record (env KEYPORT_ALLOW_RESET=true)")
	fs.BoolVar(&cfg.tls, "tls", env("KEYPORT_TLS", "") == "true", "serve HTTPS under a local CA kept in the data directory as "+localca.CertFile+" (env KEYPORT_TLS=true)")
	tlsNames := fs.String("tls-names", env("KEYPORT_TLS_NAMES", ""), "comma-separated host names and IP addresses the HTTPS certificate holds besides localhost, 127.0.0.1 and ::1 (env KEYPORT_TLS_NAMES)")
	fs.StringVar(&cfg.seedFile, "seed", env("KEYPORT_SEED_FILE", ""), "JSON file of creates made at start-up, each once per store, for fixtures (env KEYPORT_SEED_FILE)")
	writeTimeout := fs.String("write-timeout", env("KEYPORT_WRITE_TIMEOUT", defaultWriteTimeout.String()), "time a request has to be answered; backend calls stop short of it (env KEYPORT_WRITE_TIMEOUT)")
	bodyMiB := fs.String("body-budget-mib", env("KEYPORT_BODY_BUDGET_MIB", strconv.Itoa(defaultBodyBudget>>20)), "MiB of request bodies held in memory at once; past it, requests get the vendor's busy answer (env KEYPORT_BODY_BUDGET_MIB)")
	keyCache := fs.String("key-cache", env("KEYPORT_KEY_CACHE", ""), "data-key cache: empty for the defaults, off for one data key per value, or fields such as entries=1000,seal-uses=1000,seal-age=5m,open-age=5m (env KEYPORT_KEY_CACHE)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "developers: write a CPU profile of the whole run to this file when the server stops (go tool pprof)")
	limit := fs.String("apikey-limit", env("KEYPORT_APIKEY_LIMIT", "500"), "Tencent API keys per account (env KEYPORT_APIKEY_LIMIT)")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	for _, n := range strings.Split(*tlsNames, ",") {
		if n = strings.TrimSpace(n); n != "" {
			cfg.tlsNames = append(cfg.tlsNames, n)
		}
	}
	n, err := strconv.ParseInt(*limit, 10, 64)
	if err != nil || n < 1 {
		return config{}, fmt.Errorf("apikey-limit must be a positive integer, got %q", *limit)
	}
	cfg.keyLimit = n
	mib, err := strconv.ParseInt(*bodyMiB, 10, 64)
	if err != nil || mib < 11 || mib > 1<<20 {
		return config{}, fmt.Errorf("body-budget-mib must be an integer from 11 (one Tencent body) to 1048576, got %q", *bodyMiB)
	}
	cfg.bodyBudget = mib << 20
	if cfg.writeTimeout, err = time.ParseDuration(*writeTimeout); err != nil || cfg.writeTimeout < time.Second {
		return config{}, fmt.Errorf("write-timeout must be a duration of at least 1s, got %q", *writeTimeout)
	}
	if cfg.keyCache, err = seal.ParseCache(*keyCache); err != nil {
		return config{}, err
	}
	if cfg.storeKind != "bolt" && cfg.storeKind != "memory" && cfg.storeKind != "dynamodb" {
		return config{}, fmt.Errorf("store must be bolt, memory or dynamodb, got %q", cfg.storeKind)
	}
	return cfg, nil
}

// run serves until ctx ends. Logs (JSON, one line per request) go to logOut; the audit trail
// to cfg.auditPath; the start-up banner to banner, the process's standard error.
func run(ctx context.Context, cfg config, logOut, banner io.Writer) error {
	if cfg.cpuProfile != "" {
		stop, err := profileCPU(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	s, err := start(ctx, cfg, logOut, banner)
	if err != nil {
		return err
	}
	select {
	case err := <-s.errc:
		s.release()
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Shutdown(shutdownCtx)
}

// profileCPU starts a CPU profile of the process into path; stop ends it and closes the file.
func profileCPU(path string) (stop func(), _ error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// Server is a started local server.
type Server struct {
	srv     *http.Server
	addr    net.Addr
	errc    chan error // Serve's error
	release func()     // closes the store and the audit trail
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.addr }

// Shutdown stops the server, waiting until ctx ends for requests in flight, then closes its
// store and audit trail.
func (s *Server) Shutdown(ctx context.Context) error {
	defer s.release()
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// start listens on cfg.addr and returns once the server is ready. The port is served from the
// moment it is open: health answers 503 until the store is open and seeded (admin.go).
func start(ctx context.Context, cfg config, logOut, banner io.Writer) (*Server, error) {
	if cfg.writeTimeout == 0 {
		cfg.writeTimeout = defaultWriteTimeout
	}
	var seeds []seedEntry
	if cfg.seedFile != "" {
		var err error
		if seeds, err = loadSeeds(cfg.seedFile); err != nil {
			return nil, err
		}
	}
	trail, closeTrail, err := openAudit(cfg, banner)
	if err != nil {
		return nil, err
	}
	gate := newStartGate(newHealth(cfg.storeKind, cfg.allowReset))
	s, scheme, caPath, err := listen(cfg, gate)
	if err != nil {
		closeTrail()
		return nil, err
	}
	logger := slog.New(slog.NewJSONHandler(logOut, nil))
	svc, closeBackend, err := openServices(ctx, cfg, logger, banner)
	if err != nil {
		s.srv.Close()
		closeTrail()
		return nil, err
	}
	s.release = func() { closeBackend(); closeTrail() }
	s.serveBackups(cfg.dataDir, svc.store, banner)
	mux := newMux(configure(svc, cfg, logger, trail))
	if len(seeds) > 0 {
		n, err := applySeeds(ctx, mux, svc.store, svc.creds, seeds)
		if err != nil {
			s.srv.Close()
			s.release()
			return nil, err
		}
		fmt.Fprintf(banner, "seeded %d of %d entries of %s (the others were applied before)\n", n, len(seeds), cfg.seedFile)
	}
	gate.open(mux)
	fmt.Fprintf(banner, "keyport listening on %s://%s (store: %s)\n", scheme, s.addr, cfg.storeKind)
	if caPath != "" {
		fmt.Fprintf(banner, "  HTTPS under the local CA %s: trust it with SSL_CERT_FILE, NODE_EXTRA_CA_CERTS or a Go RootCAs\n", caPath)
	}
	logger.Info("listening", "addr", s.addr.String(), "store", cfg.storeKind)
	return s, nil
}

// listen opens cfg.addr and serves h on it, over TLS with -tls, and returns the scheme served and
// the CA file's path ("" without one on disk).
func listen(cfg config, h http.Handler) (*Server, string, string, error) {
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, "", "", err
	}
	scheme, caPath, tlsConfig, err := serveTLS(cfg)
	if err != nil {
		ln.Close()
		return nil, "", "", err
	}
	srv := &http.Server{
		TLSConfig:         tlsConfig,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       2 * time.Minute,
	}
	s := &Server{srv: srv, addr: ln.Addr(), errc: make(chan error, 1)}
	go func() {
		if tlsConfig != nil {
			s.errc <- srv.ServeTLS(ln, "", "")
		} else {
			s.errc <- srv.Serve(ln)
		}
	}()
	return s, scheme, caPath, nil
}

// serveBackups serves online backups of an embedded store (backup.go). Without the socket (a
// data directory path too long for one, say) the server still serves; `keyport backup` then
// needs it stopped.
func (s *Server) serveBackups(dataDir string, st store.Store, banner io.Writer) {
	bolt, ok := st.(*boltstore.Store)
	if !ok {
		return
	}
	stop, err := serveBackups(dataDir, bolt)
	if err != nil {
		fmt.Fprintf(banner, "no online backups: %v\n", err)
		return
	}
	release := s.release
	s.release = func() { stop(); release() }
}

// configure completes the services the backends opened with the host's logging, audit and
// budgets.
func configure(svc services, cfg config, logger *slog.Logger, trail *audit.Writer) services {
	svc.logger, svc.audit = logger, trail
	svc.storeKind, svc.allowReset = cfg.storeKind, cfg.allowReset
	svc.budget = web.ForWriteTimeout(cfg.writeTimeout)
	if cfg.bodyBudget == 0 {
		cfg.bodyBudget = defaultBodyBudget
	}
	svc.bodies = web.NewBodies(cfg.bodyBudget)
	return svc
}

// serveTLS returns the scheme served and, for -tls, the CA file's path ("" for a CA given in
// memory) and the TLS configuration under a server certificate issued at this start.
func serveTLS(cfg config) (scheme, caPath string, _ *tls.Config, _ error) {
	if !cfg.tls {
		return "http", "", nil, nil
	}
	ca := cfg.ca
	if ca == nil {
		var err error
		if ca, err = localca.Load(cfg.dataDir); err != nil {
			return "", "", nil, err
		}
		if caPath, err = filepath.Abs(filepath.Join(cfg.dataDir, localca.CertFile)); err != nil {
			return "", "", nil, err
		}
	}
	tc, err := ca.ServerConfig(cfg.tlsNames)
	return "https", caPath, tc, err
}

// openAudit opens the audit trail: stderr for "-", else the file, appended to and readable by
// the owner only (it names callers and what they created).
func openAudit(cfg config, stderr io.Writer) (*audit.Writer, func(), error) {
	if cfg.auditOut != nil {
		return audit.NewWriter(cfg.auditOut), func() {}, nil
	}
	path := cfg.auditPath
	if path == "" && cfg.storeKind == "memory" {
		path = "-" // the memory store writes nothing to disk, and neither does its default trail
	}
	switch path {
	case "-":
		return audit.NewWriter(stderr), func() {}, nil
	case "":
		if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("audit: %w", err)
		}
		path = filepath.Join(cfg.dataDir, auditFile)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("audit: %w", err)
	}
	return audit.NewWriter(f), func() { f.Close() }, nil
}
