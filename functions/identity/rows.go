// Package identity lists OpenStack Identity's operations (Keystone v3 tokens) and the version
// documents OpenStack clients discover keyport through. They are served on the Barbican API,
// so every link and catalog URL a client is handed points at the host it called.
package identity

import (
	"keyport/functions/identity/issuetoken"
	"keyport/functions/identity/validatetoken"
	"keyport/functions/identity/versions"
	"keyport/shared/operation"
)

// Rows are the identity operations, in the order the stack defines functions.
var Rows = []operation.Row{
	issuetoken.Row,
	validatetoken.Row,
	versions.Root,
	versions.KeyManager,
	versions.Identity,
}
