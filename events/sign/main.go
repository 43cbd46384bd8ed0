// Command sign prints an API Gateway event from events/ signed just now with the development
// credentials, for `sam local invoke -e` and the Makefile's `events` target:
//
//	go run ./events/sign -in events/tencent-apigateway.json > /tmp/event.json
//
// Events that carry no TC3 or ACS3 signature are printed unchanged.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"keyport/events"
)

func main() {
	in := flag.String("in", "-", "event file to sign (- for standard input)")
	flag.Parse()
	if err := run(*in, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sign:", err)
		os.Exit(1)
	}
}

func run(in string, stdin io.Reader, out io.Writer) error {
	var raw []byte
	var err error
	if in == "-" {
		raw, err = io.ReadAll(stdin)
	} else {
		raw, err = os.ReadFile(in)
	}
	if err != nil {
		return err
	}
	signed, err := events.Sign(raw, time.Now())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s\n", signed)
	return err
}
