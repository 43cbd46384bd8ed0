// Package tfreplay replays, request for request, what the vendors' Terraform providers send
// through a resource's life (create, read, update, import, delete, read after delete) and checks
// each answer the way the provider's code does: the statuses it accepts, the fields it
// dereferences, how it decides that a resource is gone. The providers cannot be built here (the
// module proxy refuses them), so each replay follows one named provider file at one commit,
// sending with the vendor's Go SDK where the provider does. docs/wire/terraform.md lists the
// sources and what each replay checks.
//
// A replay takes the address (host:port) of a keyport serving every vendor's API over plain
// HTTP: the local server in cmd/keyport's tests, or the invoke harness's gateway in front of
// the built Lambda functions. It fails t on the first answer the provider would refuse.
package tfreplay
