// Command keyport serves all five create operations from one local process: the way a newcomer
// or a CI job gets a working fake Tencent/Alibaba/Gcore/K5 endpoint with `make run`.
//
// By default it keeps records in an embedded single-file store and seals secrets under a local
// key file, both under the data directory. With -store dynamodb it uses DynamoDB and KMS
// instead (AWS_ENDPOINT_URL points the AWS SDK at, for example, moto_server).
//
// This file is the only place that reads flags and the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"keyport/shared/audit"
	"keyport/shared/seal"
	"keyport/shared/web"
)

// config is everything the process reads from flags and the environment.
type config struct {
	addr            string
	dataDir         string
	credentialsFile string
	storeKind       string // "bolt" or "dynamodb"
	table           string
	kmsKeyID        string
	createTable     bool
	keyLimit        int64
	auditPath       string        // "" means auditFile under dataDir; "-" means standard error
	writeTimeout    time.Duration // the server's WriteTimeout; each request's budget is computed from it
	bodyBudget      int64         // bytes of request bodies held at once; 0 means defaultBodyBudget
	keyCache        seal.Cache    // data-key reuse by the sealer (the zero Cache: one key per value)
}

// defaultBodyBudget is the request-body bytes the server holds at once: six of Tencent's 10 MB
// bodies, or 64 of the other vendors' 1 MB ones, in well under the memory of the smallest
// machine keyport is meant to run on. Past it, requests get the vendor's busy answer.
const defaultBodyBudget = 64 << 20

// defaultWriteTimeout is the server's write timeout unless -write-timeout says otherwise.
const defaultWriteTimeout = 30 * time.Second

// auditFile is the audit trail's file name under the data directory, the default.
const auditFile = "audit.log"

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyport:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "keyport:", err)
		os.Exit(1)
	}
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
	fs.StringVar(&cfg.storeKind, "store", env("KEYPORT_STORE", "bolt"), "bolt (embedded) or dynamodb (with KMS) (env KEYPORT_STORE)")
	fs.StringVar(&cfg.table, "table", env("KEYPORT_TABLE", "keyport"), "DynamoDB table, with -store dynamodb (env KEYPORT_TABLE)")
	fs.StringVar(&cfg.kmsKeyID, "kms-key", env("KEYPORT_KMS_KEY_ID", ""), "KMS key id or ARN, with -store dynamodb; empty creates one (env KEYPORT_KMS_KEY_ID)")
	fs.BoolVar(&cfg.createTable, "create-table", env("KEYPORT_CREATE_TABLE", "") == "true", "create the DynamoDB table if missing (env KEYPORT_CREATE_TABLE=true)")
	fs.StringVar(&cfg.auditPath, "audit", env("KEYPORT_AUDIT_FILE", ""), "file the audit trail (one JSON event per request) is appended to; empty means "+auditFile+" in the data directory, - means standard error (env KEYPORT_AUDIT_FILE)")
	writeTimeout := fs.String("write-timeout", env("KEYPORT_WRITE_TIMEOUT", defaultWriteTimeout.String()), "time a request has to be answered; backend calls stop short of it (env KEYPORT_WRITE_TIMEOUT)")
	bodyMiB := fs.String("body-budget-mib", env("KEYPORT_BODY_BUDGET_MIB", strconv.Itoa(defaultBodyBudget>>20)), "MiB of request bodies held in memory at once; past it, requests get the vendor's busy answer (env KEYPORT_BODY_BUDGET_MIB)")
	keyCache := fs.String("key-cache", env("KEYPORT_KEY_CACHE", ""), "data-key cache: empty for the defaults, off for one data key per value, or fields such as entries=1000,seal-uses=1000,seal-age=5m,open-age=5m (env KEYPORT_KEY_CACHE)")
	limit := fs.String("apikey-limit", env("KEYPORT_APIKEY_LIMIT", "500"), "Tencent API keys per account (env KEYPORT_APIKEY_LIMIT)")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return config{}, err
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
	if cfg.storeKind != "bolt" && cfg.storeKind != "dynamodb" {
		return config{}, fmt.Errorf("store must be bolt or dynamodb, got %q", cfg.storeKind)
	}
	return cfg, nil
}

// run serves until ctx ends. Logs (JSON, one line per request) go to logOut; the audit trail
// to cfg.auditPath; the start-up banner to banner, the process's standard error.
func run(ctx context.Context, cfg config, logOut, banner io.Writer) error {
	logger := slog.New(slog.NewJSONHandler(logOut, nil))
	trail, closeTrail, err := openAudit(cfg, banner)
	if err != nil {
		return err
	}
	defer closeTrail()
	svc, closeBackend, err := openServices(ctx, cfg, logger, banner)
	if err != nil {
		return err
	}
	defer closeBackend()
	svc.logger, svc.audit = logger, trail
	if cfg.writeTimeout == 0 {
		cfg.writeTimeout = defaultWriteTimeout
	}
	svc.budget = web.ForWriteTimeout(cfg.writeTimeout)
	if cfg.bodyBudget == 0 {
		cfg.bodyBudget = defaultBodyBudget
	}
	svc.bodies = web.NewBodies(cfg.bodyBudget)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           newMux(svc),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(banner, "keyport listening on http://%s (store: %s)\n", ln.Addr(), cfg.storeKind)
	logger.Info("listening", "addr", ln.Addr().String(), "store", cfg.storeKind)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openAudit opens the audit trail: stderr for "-", else the file, appended to and readable by
// the owner only (it names callers and what they created).
func openAudit(cfg config, stderr io.Writer) (*audit.Writer, func(), error) {
	path := cfg.auditPath
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
