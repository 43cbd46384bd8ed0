// Package gcore speaks the parts of Gcore Cloud's wire that its operations share: the API-key
// Authorization header, the integer project and region ids in paths and the UUIDs after them,
// the query parameters of the lists and their {count, results} page, and the JSON error
// envelope; and it runs every operation's request in one skeleton (Handle). The records behind
// the operations are modelled below it, in gcoresecret and gcoretask. The wire facts it relies
// on are in docs/wire/gcore.md.
//
// Every error is rendered here and nowhere else: classify turns a fault kind into Gcore's
// exception_class and HTTP status, so two operations can never disagree about a status.
package gcore

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"keyport/shared/fault"
	"keyport/shared/web"
)

// envelope is Gcore's error body (docs/wire/gcore.md, "Errors"): exception_class, message and
// request_id always, invalid_fields ({field: [reasons]}) for validation errors.
type envelope struct {
	ExceptionClass string              `json:"exception_class"`
	Message        string              `json:"message"`
	RequestID      string              `json:"request_id"`
	InvalidFields  map[string][]string `json:"invalid_fields,omitempty"`
}

// internalMessage is the whole of what a client learns about a server fault; the cause goes to
// the request's log line only.
const internalMessage = "Internal server error. Quote the request_id when you report it."

// serverMessages are the fixed texts of the other server-side kinds; none carries a cause.
var serverMessages = map[fault.Kind]string{
	fault.Timeout: "The request did not complete in time and may or may not have taken effect: check whether the resource exists before retrying.",
	fault.Busy:    "Request was throttled: the server is busy with other requests. Nothing was done; retry later.",
}

// classify is the one place a fault kind becomes Gcore's exception class and HTTP status. The
// statuses Gcore leaves open are keyport's choice (docs/wire/gcore.md, "Where the vendor is
// silent").
func classify(k fault.Kind) (class string, status int) {
	switch k {
	case fault.Invalid, fault.Missing, fault.Malformed:
		// Gcore leaves the status of ValidationError open (400 or 422). 400: GC-labs turns
		// a 400 into its typed ErrDefault400 but has no case for 422 (it would surface as a bare
		// ErrUnexpectedResponseCode), and GC-go retries neither, so 400 loses nothing.
		return "ValidationError", http.StatusBadRequest
	case fault.TooLarge:
		// Still a problem with the request body, so clients that show invalid_fields for a
		// ValidationError keep working; the status says what kind.
		return "ValidationError", http.StatusRequestEntityTooLarge
	case fault.UnsupportedType:
		return "UnsupportedMediaType", http.StatusUnsupportedMediaType
	case fault.Unauthenticated, fault.Expired, fault.Replayed:
		// Gcore documents every authentication error as 401. The class names are DRF's (our
		// inference: Gcore's messages are Django REST framework's); callers may override.
		return "AuthenticationFailed", http.StatusUnauthorized
	case fault.Forbidden, fault.NotFound, fault.UnknownAction:
		// Forbidden (a valid token that does not reach the project or region) is rendered as
		// 404 NotFoundError, not 403: Gcore documents NotFoundError as "does not exist, or
		// exists in a different project or region", and its ForbiddenError means "capacity
		// reached, try another region", which would send a client the wrong way. It also keeps
		// get-task's rule (another project's task is simply not found) and create's alike.
		return "NotFoundError", http.StatusNotFound
	case fault.Denied:
		// A credential's policy refuses the action (docs/policies.md): DRF's PermissionDenied,
		// 403, the answer Gcore gives a token whose role lacks a permission.
		return "PermissionDenied", http.StatusForbidden
	case fault.BadMethod:
		return "HTTPError", http.StatusMethodNotAllowed
	case fault.Exists:
		// No Gcore create here refuses a duplicate (Barbican names are not unique); 409 is the
		// conventional status and GC-go's retry of a 409 is harmless (our choice).
		return "ConflictError", http.StatusConflict
	case fault.Timeout:
		// A backend ran out of the request's time: 503, which Gcore's clients retry, with a
		// message saying the write may have been applied. Gcore documents no class for it; the
		// name says what happened (our choice).
		return "ServiceUnavailable", http.StatusServiceUnavailable
	case fault.Busy:
		// The process-wide body budget is spent: DRF's Throttled class and 429.
		return "Throttled", http.StatusTooManyRequests
	case fault.LimitExceeded:
		// Gcore secrets are Barbican secrets, and Barbican answers a quota breach with 403
		// (docs/wire/gcore.md, "Barbican's rules"); QuotaLimitExceed is Gcore's documented class.
		return "QuotaLimitExceed", http.StatusForbidden
	}
	return "InternalServerError", http.StatusInternalServerError
}

// WriteError renders err as Gcore's error envelope and notes the outcome for the access log.
// err may be a single fault or an errors.Join of field faults; every field fault is listed in
// invalid_fields and the first fault decides the class and status. An error that is not a
// fault, or a join holding one, is a 500 whose cause is logged and never rendered.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	faults := collect(err, nil)
	first := faults[0]
	if hasInternal(faults) {
		first = fault.InRequest(ctx, err)
		if first.Kind != fault.Timeout {
			first = &fault.Error{Kind: fault.Internal}
		}
	}
	class, status := classify(first.Kind)
	if first.Code != "" && first.Kind != fault.Internal {
		class = first.Code
	}
	env := envelope{ExceptionClass: class, RequestID: web.RequestID(ctx)}
	var cause error
	if first.Kind == fault.Internal || first.Kind == fault.Timeout {
		cause = err
		if cause == nil {
			cause = errNilError
		}
	}
	if msg, ok := serverMessages[first.Kind]; ok {
		env.Message = msg
	} else if first.Kind == fault.Internal {
		env.Message = internalMessage
	} else {
		env.Message, env.InvalidFields = describe(first, faults, status)
	}
	web.NoteOutcome(ctx, class, cause)
	WriteJSON(w, status, env)
}

// WriteJSON writes v as the JSON body with the given status and Content-Type application/json.
// HTML escaping is off, as in Gcore's (Python) responses.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only our own response types reach here, so this is a programming error; still, the
		// client gets an envelope rather than half a body.
		buf.Reset()
		buf.WriteString(`{"exception_class":"InternalServerError","message":"` + internalMessage + `","request_id":""}` + "\n")
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
