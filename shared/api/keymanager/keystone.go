package keymanager

import (
	"net/http"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/web"
)

// authenticate resolves r's X-Auth-Token to the K5 token entry it names, as Keystone's
// middleware in front of Barbican does, and records the caller for the audit trail (the
// token's keyed hash, never the token). ok is false for an absent or unknown token.
func authenticate(r *http.Request, book *credentials.Book) (tok credentials.K5Token, ok bool) {
	token := r.Header.Get("X-Auth-Token")
	tok, ok = book.K5(token)
	audit.SetBearer(r.Context(), book.AuditKey(), token, tok.Tenant)
	return tok, ok
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
// keystonemiddleware also sends WWW-Authenticate: Keystone uri="<identity endpoint>"; keyport
// has no identity endpoint to point at, so the header is left out (clients do not need it:
// gophercloud only re-authenticates through its own ReauthFunc).
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
