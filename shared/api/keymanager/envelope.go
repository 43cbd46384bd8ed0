// Barbican's error envelope. Barbican's JSONErrorHook turns every error into
//
//	{"code": <status>, "title": "<reason phrase>", "description": "<message>"}
//
// with Content-Type application/json (docs/wire/keymanager.md, "Errors"). The 401 is not
// Barbican's own: it comes from the Keystone auth middleware in front of it and has Keystone's
// shape (see WriteUnauthorized).

package keymanager

import (
	"bytes"
	"encoding/json"
	"net/http"

	"keyport/shared/fault"
	"keyport/shared/web"
)

// Names are what Barbican calls an operation in its error messages: validation messages name
// the schema, 403, 406 and 500 messages name the action.
type Names struct {
	Action string // e.g. "Secret creation", quoted in 403, 406 and 500 descriptions
	Schema string // e.g. "Secret", quoted in validation descriptions
	// Accepts is the Python list of request content types quoted in a 415; "" means
	// ['application/json'], what every JSON-bodied operation takes.
	Accepts string
}

// The secret operations, named as Barbican's controllers name them in their messages.
var (
	SecretCreation         = Names{Action: "Secret creation", Schema: "Secret"}          // POST secrets
	SecretRetrieval        = Names{Action: "Secret retrieval", Schema: "Secret"}         // GET secrets/{id}
	SecretPayloadRetrieval = Names{Action: "Secret payload retrieval", Schema: "Secret"} // GET secrets/{id}/payload
	SecretList             = Names{Action: "Secret(s) retrieval", Schema: "Secret"}      // GET secrets
	SecretDeletion         = Names{Action: "Secret deletion", Schema: "Secret"}          // DELETE secrets/{id}
	SecretUpdate           = Names{Action: "Secret update", Schema: "Secret",            // PUT secrets/{id}
		Accepts: "['application/octet-stream', 'text/plain']"}
	SecretMetadata  = Names{Action: "Secret metadata", Schema: "Secret Metadata"}   // …/metadata
	SecretMetadatum = Names{Action: "Secret metadatum", Schema: "Secret Metadatum"} // …/metadata/{key}
	SecretACLRead   = Names{Action: "SecretACL(s) retrieval", Schema: "ACL"}        // GET …/acl
	SecretACLUpdate = Names{Action: "SecretACL(s) Update", Schema: "ACL"}           // PUT, PATCH …/acl
	SecretACLDelete = Names{Action: "SecretACL(s) deletion", Schema: "ACL"}         // DELETE …/acl
)

// Envelope is Barbican's error body.
type Envelope struct {
	Code        int    `json:"code"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Status is the one mapping from a fault kind to Barbican's HTTP status.
func Status(k fault.Kind) int {
	switch k {
	case fault.Invalid, fault.Missing, fault.Malformed:
		return http.StatusBadRequest
	case fault.TooLarge:
		return http.StatusRequestEntityTooLarge
	case fault.UnsupportedType:
		return http.StatusUnsupportedMediaType
	case fault.Unauthenticated, fault.Expired, fault.Replayed:
		return http.StatusUnauthorized
	case fault.Forbidden, fault.Denied, fault.LimitExceeded: // Barbican reports quota breaches as 403
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
		// The process-wide body budget is spent. Barbican has no throttle of its own; 503 is
		// what the OpenStack services in front of it answer when overloaded, and gophercloud
		// surfaces it as a retryable ErrUnexpectedResponseCode.
		return http.StatusServiceUnavailable
	}
	// Internal and Timeout: Barbican answers every server fault 500 (a timeout included: its
	// body says to contact the administrator, as Barbican's does).
	return http.StatusInternalServerError
}

// WriteError renders err as Barbican would for op and notes the outcome for the access log.
// A 5xx never shows err's text; an unauthenticated request gets the Keystone-style 401.
func (op Names) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	f := fault.InRequest(r.Context(), err)
	status := Status(f.Kind)
	if status == http.StatusUnauthorized {
		WriteUnauthorized(w, r)
		return
	}
	var cause error
	if status >= http.StatusInternalServerError {
		cause = err
	}
	title := http.StatusText(status)
	web.NoteOutcome(r.Context(), title, cause)
	SetRequestID(w.Header(), r)
	writeJSON(w, status, "application/json", Envelope{Code: status, Title: title, Description: op.Description(f)})
}

// RequestIDHeader is where OpenStack services (oslo.middleware's request_id filter) return the
// request id. Whether K5's Barbican pipeline includes the filter is not known
// (docs/wire/keymanager.md, "Where the vendor is silent"); clients do not depend on the header,
// it lets an operator match a response to the log line.
const RequestIDHeader = "X-Openstack-Request-Id"

// SetRequestID sets RequestIDHeader to "req-<id>" from the id web.Logged gave r (if any).
func SetRequestID(h http.Header, r *http.Request) {
	if id := web.RequestID(r.Context()); id != "" {
		h.Set(RequestIDHeader, "req-"+id)
	}
}

// Description is the message Barbican gives for f in op, in Barbican's own wording.
func (op Names) Description(f *fault.Error) string {
	switch f.Kind {
	case fault.Invalid, fault.Missing:
		// exception.InvalidObject, raised for every schema and validator failure.
		return "Provided object does not match schema '" + op.Schema + "': " + f.Reason +
			". Invalid property: '" + f.Field + "'"
	case fault.Malformed:
		if f.Reason != "" {
			return f.Reason
		}
		return "Malformed JSON" // api.load_body's decode message
	case fault.Unauthenticated, fault.Expired, fault.Replayed:
		return unauthorizedMessage // WriteError sends these as Keystone's 401 instead
	case fault.TooLarge:
		return "Provided information too large to process" // exception.LimitExceeded
	case fault.UnsupportedType:
		if op.Accepts != "" {
			return "Unexpected content type. Expected content types are: " + op.Accepts
		}
		return "Unexpected content type. Expected content types are: ['application/json']"
	case fault.NotAcceptable:
		// SecretAcceptNotSupportedException through generate_safe_exception_message.
		return op.Action + " issue seen - Wrong payload content-type."
	case fault.Forbidden, fault.Denied:
		return op.Action + " attempt not allowed - please review your user/project privileges"
	case fault.LimitExceeded:
		return op.Action + " issue seen - Creation not allowed because a quota has been reached."
	case fault.Busy:
		return op.Action + " failure seen - the service is busy, please retry later."
	case fault.NotFound, fault.UnknownAction, fault.BadMethod, fault.Exists:
		if f.Reason != "" {
			return f.Reason // the operation says what was not found or what conflicts
		}
		return http.StatusText(Status(f.Kind))
	}
	// Internal, and any kind Status sends to 500: never echo the cause.
	return op.Action + " failure seen - please contact site administrator."
}

// writeJSON sends body as JSON under contentType. Plain structs, maps and slices of strings and
// ints cannot fail to encode. HTML escaping is off so hrefs read as Barbican (Python's json)
// writes them: "&", not "\u0026".
func writeJSON(w http.ResponseWriter, status int, contentType string, body any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
