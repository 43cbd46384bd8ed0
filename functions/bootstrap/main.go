// Command bootstrap is every keyport Lambda: one multi-call binary, shipped once and deployed as
// many functions, each of which names the function it is in KEYPORT_FUNCTION (set by the stack).
// One binary rather than one per function because it builds in one link instead of one per
// function and ships one asset instead of thirty near-identical ones, with the same cold start
// (see docs/benchmarks.md, "Lambda packaging"); each function keeps its own role, environment,
// log group and routes, so the binary's other operations are unreachable and unauthorised there.
//
// It is each function's composition root and the only code that reads its environment.
// `bootstrap -list` prints the function names, one a line, for the Makefile and scripts.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"

	"keyport/functions"
	"keyport/shared/lambdaapp"
	"keyport/shared/operation"
	"keyport/shared/seal"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-list" {
		for _, name := range functions.Names() {
			fmt.Println(name)
		}
		return
	}
	name := os.Getenv("KEYPORT_FUNCTION")
	fn, known := functions.Lookup(name)
	cfg := lambdaapp.Config{
		Table:                os.Getenv("KEYPORT_TABLE"),
		KMSKeyID:             os.Getenv("KEYPORT_KMS_KEY_ID"),
		NoKMS:                !fn.UsesKMS(),
		CredentialsSecretARN: os.Getenv("KEYPORT_CREDENTIALS_SECRET_ARN"),
		RuntimeAPI:           os.Getenv("AWS_LAMBDA_RUNTIME_API"),
	}
	operation.UseEnvelopesForAuditFailures()
	lambdaapp.Main(fn.LogName(), cfg, func(app *lambdaapp.App) (http.Handler, error) {
		if !known {
			return nil, fmt.Errorf("KEYPORT_FUNCTION %q names no keyport function", name)
		}
		limit, err := keyLimit(os.Getenv("KEYPORT_APIKEY_LIMIT"))
		if err != nil {
			return nil, err
		}
		sealer := app.Sealer
		if sealer != nil {
			// Unset means seal.DefaultCache; "off" one data key per value (docs/deploy.md).
			cache, err := seal.ParseCache(os.Getenv("KEYPORT_KEY_CACHE"))
			if err != nil {
				return nil, fmt.Errorf("KEYPORT_KEY_CACHE: %w", err)
			}
			sealer = sealer.WithCache(cache)
		}
		return fn.Handler(operation.Deps{Store: app.Store, Sealer: sealer, Creds: app.Creds, KeyLimit: limit}), nil
	})
}

// keyLimit parses KEYPORT_APIKEY_LIMIT; unset means the handlers' default (500, Tencent's quota).
func keyLimit(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("KEYPORT_APIKEY_LIMIT must be a positive integer, got %q", v)
	}
	return n, nil
}
