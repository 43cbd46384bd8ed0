package keymanager

import (
	"net/http"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/policy"
	"keyport/shared/web"
)

// caller is who a request's X-Auth-Token names: the project it reaches and, for a Keystone
// token keyport issued, its user.
type caller struct {
	Project string
	// User is the Keystone user id; "" for a static K5 token, which names a project only.
	User string
	// Policies are what Handle's decision asks: for a Keystone token, its roles' built-in
	// policy (roles.go) first, then its user's and its application credential's; for a static
	// K5 token, the token's own.
	Policies []*policy.Policy
}

// authenticate resolves r's X-Auth-Token, as Keystone's middleware in front of Barbican does:
// a static K5 token of the credentials document, or a Keystone token keyport issued
// (POST /v3/auth/tokens) that has not expired and whose user, project and application
// credential the document still holds. It records the caller for the audit trail: a Keystone
// token's user id and project, a static token's keyed hash, never a token. ok is false for
// an absent, unknown, expired or tampered token.
func authenticate(r *http.Request, book *credentials.Book) (c caller, ok bool) {
	token := r.Header.Get("X-Auth-Token")
	if tok, ok := book.K5(token); ok {
		audit.SetBearer(r.Context(), book.AuditKey(), token, tok.Tenant)
		return caller{Project: tok.Tenant, Policies: []*policy.Policy{tok.Policy}}, true
	}
	now := time.Now()
	t, ok := book.OpenToken(token, now)
	if !ok {
		audit.SetBearer(r.Context(), book.AuditKey(), token, "")
		return caller{}, false
	}
	g, ok := book.Grant(t, now)
	if !ok {
		audit.SetBearer(r.Context(), book.AuditKey(), token, "")
		return caller{}, false
	}
	audit.SetPrincipal(r.Context(), g.User.ID, g.Project.ID)
	policies := append([]*policy.Policy{rolesOf(g)}, g.Policies...)
	return caller{Project: g.Project.ID, User: g.User.ID, Policies: policies}, true
}

const unauthorizedMessage = "The request you have made requires authentication."

// Unauthorized is the Keystone-style 401 body. K5 puts Keystone's auth middleware in front of
// Barbican, so a missing or unknown X-Auth-Token never reaches Barbican's own error hook.
// This is Keystone's own 401 shape; K5's exact body is not published (docs/wire/keymanager.md,
// "Where the vendor is silent").
type Unauthorized struct {
	Error UnauthorizedError `json:"error"`
}

// UnauthorizedError is the inner object of Unauthorized.
type UnauthorizedError struct {
	Code    int    `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// WriteUnauthorized renders the 401 and notes it for the access log. It says nothing about why
// the token was refused (absent or unknown), so a caller cannot probe the token book.
// keystonemiddleware also sends WWW-Authenticate: Keystone uri="<identity endpoint>"; it is
// left out (clients do not need it: gophercloud re-authenticates through its own ReauthFunc,
// keystoneauth through its plugin).
func WriteUnauthorized(w http.ResponseWriter, r *http.Request) {
	const title = "Unauthorized"
	web.NoteOutcome(r.Context(), title, nil)
	SetRequestID(w.Header(), r)
	writeJSON(w, http.StatusUnauthorized, "application/json", Unauthorized{Error: UnauthorizedError{
		Code:    http.StatusUnauthorized,
		Title:   title,
		Message: unauthorizedMessage,
	}})
}
