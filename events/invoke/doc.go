// Package invoke is the invoke harness: it does what `sam local invoke` does, without Docker or
// SAM. Its tests (build tag invoke, run by `make invoke-test`) read the CDK-synthesized
// template, run each function's built bootstrap under AWS's Lambda Runtime Interface Emulator
// (built by `make rie`) with the template's environment, memory size and timeout (DynamoDB,
// KMS and Secrets Manager on moto_server), post it the function's event from events/, and check
// the vendor response. Only the cold-start failure tests run against an in-test Runtime API.
// Without the tag the package is empty, so `go test ./...` never depends on built artifacts.
//
// The binaries the harness runs are built for the host's architecture with the flags of
// `make build`; the arm64 binaries `make build` ships are the same code, cross-compiled.
package invoke
