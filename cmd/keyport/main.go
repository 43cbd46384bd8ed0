// Command keyport serves all five vendors' APIs from one local process (package localserver):
// `make run`, or a container's entry point. `keyport backup` and `keyport restore` copy the
// embedded store out of a running server and into an empty data directory; `keyport
// rotate-key` replaces the local wrapping key.
//
// This file is the only place that reads the process's arguments and environment.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"keyport/localserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 {
		if cmd, ok := commands[os.Args[1]]; ok {
			if err := cmd(ctx, os.Args[2:]); err != nil {
				fmt.Fprintln(os.Stderr, "keyport "+os.Args[1]+":", err)
				os.Exit(1)
			}
			return
		}
	}
	cfg, err := localserver.ParseArgs(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyport:", err)
		os.Exit(2)
	}
	cfg.TuneGC(os.Getenv)
	if err := localserver.Run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "keyport:", err)
		os.Exit(1)
	}
}

// commands are keyport's subcommands; anything else is the server's flags.
var commands = map[string]func(ctx context.Context, args []string) error{
	"backup":     backup,
	"restore":    restore,
	"rotate-key": rotateKey,
	// hash-password reads a password on standard input and prints its argon2id hash.
	"hash-password": func(context.Context, []string) error { return hashPassword(os.Stdin, os.Stdout) },
	// check-credentials checks a credentials document (entries and policies) offline.
	"check-credentials": func(_ context.Context, args []string) error { return checkCredentials(args, os.Stdout) },
}

// dataFlag is the data directory flag every subcommand takes, defaulting as the server's does.
func dataFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("KEYPORT_DATA_DIR")
	if def == "" {
		def = ".keyport"
	}
	return fs.String("data", def, "data directory (env KEYPORT_DATA_DIR)")
}

// backup: keyport backup [-data DIR] FILE writes a consistent copy of the store to FILE ("-"
// for standard output), from the running server or, with none, from the file.
func backup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("keyport backup", flag.ContinueOnError)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: keyport backup [-data DIR] FILE")
	}
	name := fs.Arg(0)
	if name == "-" {
		_, err := localserver.Backup(ctx, *data, os.Stdout)
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	n, err := localserver.Backup(ctx, *data, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %d bytes to %s (sealed values stay sealed: keep %s/master.key apart from it)\n", n, name, *data)
	return nil
}

// restore: keyport restore [-data DIR] FILE loads a backup into an empty data directory.
func restore(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("keyport restore", flag.ContinueOnError)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: keyport restore [-data DIR] FILE")
	}
	if err := localserver.Restore(*data, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "restored %s into %s: put the master.key of the server it came from there before starting\n", fs.Arg(0), *data)
	return nil
}

// rotateKey: keyport rotate-key [-data DIR] rewraps every sealed value under a new local key,
// with the server stopped.
func rotateKey(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("keyport rotate-key", flag.ContinueOnError)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("usage: keyport rotate-key [-data DIR]")
	}
	return localserver.RotateKey(ctx, *data, os.Stderr)
}
