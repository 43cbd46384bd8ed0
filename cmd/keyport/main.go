// Command keyport serves all five vendors' APIs from one local process (package localserver):
// `make run`, or a container's entry point.
//
// This file is the only place that reads the process's arguments and environment.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"keyport/localserver"
)

func main() {
	cfg, err := localserver.ParseArgs(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyport:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := localserver.Run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "keyport:", err)
		os.Exit(1)
	}
}
