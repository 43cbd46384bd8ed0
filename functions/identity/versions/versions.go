// Package versions serves the version documents OpenStack clients discover keyport through
// (docs/wire/identity.md): GET / lists the key manager v1 and identity v3 (gophercloud's
// NewKeyManagerV1 and keystoneauth read it), GET /v1 and /v1/ answer Barbican's v1 document
// (python-barbicanclient reads it on every client construction), GET /v3 and /v3/ Keystone's.
// Links are absolute, built from the request (identity.Origin). None needs a token, as on
// OpenStack.
package versions

import (
	"net/http"

	"keyport/shared/api/identity"
	"keyport/shared/operation"
)

var exampleHeader = map[string]string{"accept": "application/json", "user-agent": "keystoneauth1/5.0.0"}

// Root is GET /: Barbican's and Keystone's multiple-choice document, answered 300 as both do.
var Root = operation.Row{
	Name: "identity.Versions", Function: "identity-versions", API: "Barbican", Dialect: operation.Identity,
	Service: "identity", Route: "GET /{$}",
	New: func(d operation.Deps) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			identity.WriteJSON(w, r, http.StatusMultipleChoices, identity.Root(identity.PublicOrigin(r, d.Creds)))
		})
	},
	Example: &operation.Example{Path: "/", Header: exampleHeader},
}

// KeyManager is GET /v1 and /v1/: Barbican's single-version document.
var KeyManager = operation.Row{
	Name: "identity.KeyManagerVersion", Function: "identity-keymanagerversion", API: "Barbican", Dialect: operation.Identity,
	Service: "identity", Route: "GET /v1", Alias: "GET /v1/{$}",
	New:     single(identity.KeyManagerV1),
	Example: &operation.Example{Path: "/v1", Header: exampleHeader},
}

// Identity is GET /v3 and /v3/: Keystone's single-version document.
var Identity = operation.Row{
	Name: "identity.IdentityVersion", Function: "identity-identityversion", API: "Barbican", Dialect: operation.Identity,
	Service: "identity", Route: "GET /v3", Alias: "GET /v3/{$}",
	New:     single(identity.IdentityV3),
	Example: &operation.Example{Path: "/v3", Header: exampleHeader},
}

func single(version func(origin string) identity.Version) func(operation.Deps) http.Handler {
	return func(d operation.Deps) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			identity.WriteJSON(w, r, http.StatusOK, identity.Single{Version: version(identity.PublicOrigin(r, d.Creds))})
		})
	}
}
