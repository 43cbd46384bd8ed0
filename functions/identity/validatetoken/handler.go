// Package validatetoken is Keystone v3's GET (and HEAD) /v3/auth/tokens: the caller, holding a
// valid token in X-Auth-Token, asks whether the token in X-Subject-Token is valid. 200 echoes
// the subject token and its document (gophercloud takes the token back from the header); an
// invalid or expired subject token is Keystone's 404; an invalid caller token its 401.
package validatetoken

import (
	"net/http"
	"time"

	"keyport/shared/api/identity"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/operation"
)

// Row is the token validation; GET's route serves HEAD too.
var Row = operation.Row{
	Name: "identity.ValidateToken", Function: "identity-validatetoken", API: "Barbican", Dialect: operation.Identity,
	Service: "identity", Route: "GET /v3/auth/tokens",
	New: func(d operation.Deps) http.Handler { return handler{creds: d.Creds, now: d.Now} },
	Example: &operation.Example{Path: "/v3/auth/tokens",
		Header: map[string]string{"accept": "application/json", "user-agent": "gophercloud/v2.15.0",
			// A token sealed under the development key that has long expired: the event replays
			// to Keystone's 401, as any old token would.
			"x-auth-token": ExampleToken, "x-subject-token": ExampleToken}},
}

// ExampleToken is a development token that expired on 2026-01-01 (see Row's example).
const ExampleToken = "AfNz3NTcKRWK_GLK4FA1GM_ZXGriGGgUxMsD3cQXXSf-ob_W61mxwRKymBStCOOcTt3eEP_uJqq-U-ZpgYbx2mAeT5mAUzVj_n4RjgoajdSa6ODTmap8c9sZ0a2REoMx7-OwdzhffUOkam6XLwzhvsgsr-Cpir6eOQFbb7-ytZWl6fOIkIZj07vyZSWb8izkairDrehF-gm1aDo4CN1BRv4-33dPrLUcJmSEJCZf-tlgEHTYUTO9vLqCc_qledrOdfJnJqOIm_N-Yj0nh9Q3UXf2N6Y"

type handler struct {
	creds *credentials.Book
	now   func() time.Time
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := h.now().UTC()
	caller, ok := h.creds.OpenToken(r.Header.Get("X-Auth-Token"), now)
	if _, granted := h.creds.Grant(caller, now); !ok || !granted {
		identity.WriteError(w, r, fault.New(fault.Unauthenticated, "X-Auth-Token", ""))
		return
	}
	audit.SetPrincipal(r.Context(), caller.User, caller.Project)
	subject := r.Header.Get(identity.SubjectTokenHeader)
	t, ok := h.creds.OpenToken(subject, now)
	g, granted := h.creds.Grant(t, now)
	if !ok || !granted {
		identity.WriteError(w, r, fault.New(fault.NotFound, identity.SubjectTokenHeader, "Could not find token."))
		return
	}
	var name string
	if a, ok := h.creds.ApplicationCredentialByID(t.AppCred); ok {
		name = a.Name
	}
	w.Header().Set(identity.SubjectTokenHeader, subject)
	identity.WriteJSON(w, r, http.StatusOK, identity.Render(identity.PublicOrigin(r, h.creds), g, name, h.creds.Region()))
}
