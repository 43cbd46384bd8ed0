// Package identity is the wire of OpenStack Identity (Keystone v3) as far as keyport serves it
// (docs/wire/identity.md): Keystone's error envelope, the token body with its service catalog,
// the authentication request, and the version documents clients discover the key manager and
// identity through. Tokens themselves are sealed and opened by the credentials book.
package identity

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/web"
)

// Envelope is Keystone's error body: {"error": {"code", "title", "message"}}.
type Envelope struct {
	Error Error `json:"error"`
}

// Error is Envelope's inner object.
type Error struct {
	Code    int    `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// UnauthorizedMessage is Keystone's one message for every refused credential, so that a
// caller cannot tell an unknown user from a wrong password.
const UnauthorizedMessage = "The request you have made requires authentication."

// Status is Keystone's HTTP status for a fault kind.
func Status(k fault.Kind) int {
	switch k {
	case fault.Invalid, fault.Missing, fault.Malformed, fault.UnsupportedType:
		return http.StatusBadRequest // Keystone's ValidationError, its JSON body middleware's too
	case fault.TooLarge:
		return http.StatusRequestEntityTooLarge
	case fault.Unauthenticated, fault.Expired, fault.Replayed:
		return http.StatusUnauthorized
	case fault.Forbidden, fault.Denied, fault.LimitExceeded:
		return http.StatusForbidden
	case fault.NotFound, fault.UnknownAction:
		return http.StatusNotFound
	case fault.BadMethod:
		return http.StatusMethodNotAllowed
	case fault.Exists:
		return http.StatusConflict
	case fault.NotAcceptable:
		return http.StatusNotAcceptable
	case fault.Busy:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Message is Keystone's message for f: its ValidationError wording for a field, its generic
// 401, never a server fault's cause.
func Message(f *fault.Error) string {
	switch f.Kind {
	case fault.Invalid, fault.Missing, fault.UnsupportedType:
		return "Invalid input for field '" + f.Field + "': " + f.Reason + "."
	case fault.Malformed:
		return "Malformed request body: " + f.Reason + "."
	case fault.Unauthenticated, fault.Expired, fault.Replayed:
		return UnauthorizedMessage
	case fault.TooLarge:
		return "Request is too large."
	case fault.Forbidden:
		return "You are not authorized to perform the requested action."
	case fault.NotFound, fault.UnknownAction, fault.BadMethod, fault.Exists, fault.NotAcceptable:
		if f.Reason != "" {
			return f.Reason
		}
		return http.StatusText(Status(f.Kind))
	case fault.Busy:
		return "The service is busy, please retry later."
	}
	return "An unexpected error prevented the server from fulfilling your request."
}

// WriteError renders err in Keystone's envelope and notes the outcome for the access log. A
// 401 carries WWW-Authenticate as Keystone sends it.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	f := fault.InRequest(r.Context(), err)
	status := Status(f.Kind)
	var cause error
	if status >= http.StatusInternalServerError {
		cause = err
	}
	title := http.StatusText(status)
	web.NoteOutcome(r.Context(), title, cause)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Keystone uri="`+Origin(r)+`/v3"`)
	}
	WriteJSON(w, r, status, Envelope{Error{Code: status, Title: title, Message: Message(f)}})
}

// RequestIDHeader is where Keystone returns the request id.
const RequestIDHeader = "X-Openstack-Request-Id"

// WriteJSON sends body as JSON with the request id, without HTML escaping (hrefs read as
// Python's json writes them).
func WriteJSON(w http.ResponseWriter, r *http.Request, status int, body any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
	h := w.Header()
	if id := web.RequestID(r.Context()); id != "" {
		h.Set(RequestIDHeader, "req-"+id)
	}
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// Origin is <scheme>://<host> as the client called it: X-Forwarded-Proto and X-Forwarded-Host
// (their first values) when a proxy set them, else TLS and the Host header. Every link in a
// version document and every catalog URL starts with it, so they point back where the client
// called (on AWS, the API's own URL).
func Origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if proto := first(r.Header.Get("X-Forwarded-Proto")); proto == "https" || proto == "http" {
		scheme = proto
	}
	host := first(r.Header.Get("X-Forwarded-Host"))
	if host == "" || strings.ContainsAny(host, "/\\@ ") {
		host = r.Host
	}
	return scheme + "://" + host
}

// PublicOrigin is the configured public URL (credentials keystone.publicURL) when the document
// sets one, else Origin(r): the start of every version document link and catalog URL.
func PublicOrigin(r *http.Request, creds *credentials.Book) string {
	if u := creds.PublicURL(); u != "" {
		return u
	}
	return Origin(r)
}

func first(list string) string {
	v, _, _ := strings.Cut(list, ",")
	return strings.ToLower(strings.TrimSpace(v))
}

// IsJSON reports whether a Content-Type is application/json (parameters such as charset
// aside).
func IsJSON(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	return err == nil && media == "application/json"
}
