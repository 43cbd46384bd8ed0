package localserver

import (
	"context"
	"errors"
	"fmt"
	"io"

	"keyport/localserver/localca"
)

// Options configure a server started in-process by Start. The zero Options is a server on a
// free loopback port with the memory store and the development credentials, discarding its
// request log and audit trail.
type Options struct {
	Addr            string    // listen address; "" is 127.0.0.1:0, a free loopback port
	Store           string    // "memory" (the default) or "bolt"
	DataDir         string    // the bolt store's directory
	CredentialsFile string    // a credentials document; "" uses the development credentials
	AllowReset      bool      // POST /_keyport/reset may wipe the store
	Logs            io.Writer // the request log (JSON lines); nil discards it
	Audit           io.Writer // the audit trail (JSON lines); nil discards it
	// CA, when set, makes the server speak HTTPS only, under a certificate CA issues for
	// localhost, 127.0.0.1 and ::1.
	CA *localca.CA
	// SeedFile names a -seed document whose creates are made before Start returns.
	SeedFile string
}

// Start starts a server in this process and returns once it is ready to serve. Every option
// not in Options takes the default `keyport` gives it with no flags and no environment.
// Shutdown stops it.
func Start(ctx context.Context, o Options) (*Server, error) {
	cfg, err := parseConfig(nil, func(string) string { return "" })
	if err != nil {
		return nil, err
	}
	cfg.addr, cfg.storeKind, cfg.dataDir = o.Addr, o.Store, o.DataDir
	cfg.credentialsFile, cfg.allowReset, cfg.seedFile = o.CredentialsFile, o.AllowReset, o.SeedFile
	if cfg.addr == "" {
		cfg.addr = "127.0.0.1:0"
	}
	switch {
	case cfg.storeKind == "":
		cfg.storeKind = "memory"
	case cfg.storeKind == "bolt" && cfg.dataDir == "":
		return nil, errors.New("localserver: the bolt store needs a DataDir")
	case cfg.storeKind != "memory" && cfg.storeKind != "bolt":
		return nil, fmt.Errorf("localserver: Store must be memory or bolt, got %q", cfg.storeKind)
	}
	cfg.auditOut = orDiscard(o.Audit)
	cfg.tls, cfg.ca = o.CA != nil, o.CA
	return start(ctx, cfg, orDiscard(o.Logs), io.Discard)
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
