// Package functions is keyport's one list of operations and the functions (Lambdas) they form.
// Each operation declares itself as an operation.Row in its own package; each vendor family
// lists its rows (functions/<family>), and Operations joins the lists. Everything that wires
// operations reads it: the local server (localserver), the Lambda bootstrap (functions/bootstrap),
// the CDK stack (infra/: functions, routes and per-function policy), the Makefile (through the
// bootstrap's -list flag), the event writer and the event tests.
package functions

import (
	"slices"

	"keyport/functions/alibaba"
	"keyport/functions/gcore"
	"keyport/functions/identity"
	"keyport/functions/keymanager"
	"keyport/functions/tencent"
	kmapi "keyport/shared/api/keymanager"
)

// Operations is every row, in the order the stack defines functions and the local server
// mounts them.
var Operations = slices.Concat(alibaba.Rows, tencent.Rows, gcore.Rows, keymanager.Rows(kmapi.K5), keymanager.Rows(kmapi.Upstream), identity.Rows)
