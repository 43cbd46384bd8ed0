package alibaba

import (
	"net/http"

	"keyport/shared/fault"
)

// Codes the verifier and operations render. Every code is from Alibaba's common error tables
// (docs/wire/alibaba.md, "Errors") unless its comment says otherwise; APIG itself documents none
// for its secret operations. The choices are listed under "Where the vendor is silent".
const (
	// CodeIncompleteSignature (400) answers a missing or garbled Authorization header and a
	// signature that leaves out a header it must cover. Preferred over "MissingAuthorization",
	// which appears in no Alibaba table we could find; IncompleteSignature is in the common one.
	CodeIncompleteSignature = "IncompleteSignature"
	// CodeAccessKeyNotFound answers an AccessKeyId the book does not hold, with 404: the common
	// tables give 400 or 404, and 404 is what the POP gateway sends and what the ".NotFound"
	// suffix says. The SDK turns every 4xx into the same ClientError, so either works for it.
	CodeAccessKeyNotFound = "InvalidAccessKeyId.NotFound"
	// CodeSignatureDoesNotMatch (403) answers a wrong signature and a body whose hash is not
	// the signed x-acs-content-sha256 (the signature then does not cover the body that arrived).
	CodeSignatureDoesNotMatch = "SignatureDoesNotMatch"
	// CodeTimeStampExpired (400) answers an x-acs-date more than Window away from the server's
	// clock in either direction. The POP family's code for a stale timestamp; APIG's own is not
	// published.
	CodeTimeStampExpired = "InvalidTimeStamp.Expired"
	// CodeTimeStampFormat (400) answers an x-acs-date that is not YYYY-MM-DDTHH:MM:SSZ; the POP
	// family's sibling of InvalidTimeStamp.Expired, kept apart so a client sees which it is.
	CodeTimeStampFormat = "InvalidTimeStamp.Format"
	// CodeNonceUsed (400) answers an x-acs-signature-nonce already used inside the window (the
	// POP family's code for it; APIG's own is not published).
	CodeNonceUsed = "SignatureNonceUsed"
	// CodeInternal (500) answers every server-side failure, always with internalMessage.
	CodeInternal = "InternalError"
	// CodeServiceUnavailable (503) answers a request whose backend ran out of time.
	CodeServiceUnavailable = "ServiceUnavailable"
)

// internalMessage is the only text a 5xx carries: the cause goes to the log line, never here.
const internalMessage = "The request processing has failed due to some unknown error."

// serverMessages are the fixed texts of the other server-side kinds: like internalMessage, they
// never carry a cause.
var serverMessages = map[fault.Kind]string{
	fault.Timeout: "The request did not complete in time and may or may not have taken effect: check whether the resource exists before retrying.",
	fault.Busy:    "Request was denied because the server is busy with other requests. Nothing was done; retry later.",
}

// rendering is a kind's default code and HTTP status.
type rendering struct {
	code   string
	status int
}

// byKind gives each fault kind its default code and status. Codes marked (ours) appear in no
// Alibaba document; they are chosen for HTTP meaning, and the SDK treats every 4xx alike.
var byKind = map[fault.Kind]rendering{
	fault.Internal:        {CodeInternal, http.StatusInternalServerError},
	fault.Invalid:         {"InvalidParameter", http.StatusBadRequest},
	fault.Missing:         {"MissingParameter", http.StatusBadRequest},
	fault.Malformed:       {"InvalidParameter", http.StatusBadRequest},               // documented code over an invented "MalformedJSON"
	fault.TooLarge:        {"EntityTooLarge", http.StatusRequestEntityTooLarge},      // (ours) OSS's name for it
	fault.UnsupportedType: {"UnsupportedMediaType", http.StatusUnsupportedMediaType}, // (ours)
	fault.Unauthenticated: {CodeIncompleteSignature, http.StatusBadRequest},
	fault.Expired:         {CodeTimeStampExpired, http.StatusBadRequest},
	fault.Replayed:        {CodeNonceUsed, http.StatusBadRequest},
	fault.Forbidden:       {"Forbidden", http.StatusForbidden},
	fault.Denied:          {"Forbidden", http.StatusForbidden},      // RAM's refusal of an action the policy does not allow
	fault.Exists:          {"Conflict", http.StatusConflict},        // operations override: Conflict.<Thing>Duplicate
	fault.LimitExceeded:   {"QuotaExceeded", http.StatusBadRequest}, // (ours) never "Throttling", a ThrottlingError to the SDK
	fault.NotFound:        {"NotFound", http.StatusNotFound},
	fault.UnknownAction:   {"InvalidAction.NotFound", http.StatusNotFound},
	fault.BadMethod:       {"UnsupportedOperation", http.StatusMethodNotAllowed}, // documented code, HTTP's status
	fault.NotAcceptable:   {"NotAcceptable", http.StatusNotAcceptable},           // no APIG operation negotiates; kept total
	// A backend that ran out of the request's time: the common table's ServiceUnavailable, a
	// 5xx the SDK may retry. Its message warns that the write may have been applied.
	fault.Timeout: {CodeServiceUnavailable, http.StatusServiceUnavailable},
	// The process-wide body budget is spent: "Throttling" is the code the SDK turns into its
	// ThrottlingError, the one it backs off on; 429 says the same in HTTP.
	fault.Busy: {"Throttling", http.StatusTooManyRequests},
}

// statusByCode holds the override codes whose status differs from their kind's default.
var statusByCode = map[string]int{
	CodeAccessKeyNotFound:     http.StatusNotFound,
	CodeSignatureDoesNotMatch: http.StatusForbidden,
}

// Render is the one place a fault becomes an Alibaba error: it returns the HTTP status, the
// code (the fault's Code when set, else its kind's) and the client message. Unclassified errors
// are Internal and render the fixed internal message, whatever they say.
func Render(err error) (status int, code, message string) {
	f := fault.As(err)
	r, ok := byKind[f.Kind]
	if !ok || f.Kind == fault.Internal {
		return http.StatusInternalServerError, CodeInternal, internalMessage
	}
	if msg, ok := serverMessages[f.Kind]; ok {
		return r.status, r.code, msg
	}
	status, code = r.status, r.code
	if f.Code != "" {
		code = f.Code
		if s, ok := statusByCode[f.Code]; ok {
			status = s
		}
	}
	return status, code, clientMessage(f)
}

// clientMessage words a client fault. A missing field gets the POP family's sentence, which names the
// field; everything else is "field: reason". Reasons never hold secret values (package fault).
func clientMessage(f *fault.Error) string {
	if f.Kind == fault.Missing && f.Field != "" {
		return `The input parameter "` + f.Field + `" that is mandatory for processing this request is not supplied.`
	}
	return f.Error()
}
