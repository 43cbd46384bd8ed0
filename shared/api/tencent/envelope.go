package tencent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"keyport/shared/fault"
	"keyport/shared/web"
)

// defaultCodes turns a fault kind into Tencent's common error code when the fault does not
// name a code of its own.
var defaultCodes = map[fault.Kind]string{
	fault.Internal:        "InternalError",
	fault.Invalid:         "InvalidParameterValue",
	fault.Missing:         "MissingParameter",
	fault.Malformed:       "InvalidParameter",
	fault.TooLarge:        "RequestSizeLimitExceeded",
	fault.UnsupportedType: "UnsupportedProtocol",
	fault.Unauthenticated: "AuthFailure.SignatureFailure",
	fault.Expired:         "AuthFailure.SignatureExpire",
	fault.Replayed:        "AuthFailure.SignatureFailure",
	fault.Forbidden:       "UnauthorizedOperation",
	fault.Denied:          "UnauthorizedOperation", // CAM's refusal of an action the policy does not allow
	fault.Exists:          "ResourceInUse",
	fault.LimitExceeded:   "LimitExceeded",
	fault.NotFound:        "ResourceNotFound",
	fault.UnknownAction:   "InvalidAction",
	fault.BadMethod:       "UnsupportedProtocol",
	// A backend that ran out of the request's time is InternalError, the code the SDKs treat as
	// worth retrying; the message says that the write may have been applied.
	fault.Timeout: "InternalError",
	// The process-wide budget of request bodies is spent: Tencent's frequency-limit code, which
	// the SDK's rate-limit retry backs off on.
	fault.Busy: "RequestLimitExceeded",
}

var errResultNotObject = errors.New("tencent: result does not marshal to a JSON object")

// internalMessage is all a client learns about a server-side failure.
const internalMessage = "An internal error occurred. Retry later; if it persists, report the RequestId."

// timeoutMessage answers a request whose backend call ran out of time: the create may exist, so
// a blind retry could make a second one.
const timeoutMessage = "The request did not complete in time and may or may not have taken effect. Check whether the resource exists before retrying; if it persists, report the RequestId."

// busyMessage answers a request refused to keep the server within its memory budget.
const busyMessage = "The server is busy with other requests. Nothing was done; retry later."

// Code returns the Tencent error code for f: its own Code if set, else its kind's default.
func Code(f *fault.Error) string {
	if f.Code != "" {
		return f.Code
	}
	if c, ok := defaultCodes[f.Kind]; ok {
		return c
	}
	return defaultCodes[fault.Internal]
}

// Message returns the client-facing text for f. Internal faults get a generic message: their
// causes are logged, never rendered.
func Message(f *fault.Error) string {
	switch {
	case f.Kind == fault.Internal:
		return internalMessage
	case f.Kind == fault.Timeout:
		return timeoutMessage
	case f.Kind == fault.Busy:
		return busyMessage
	case f.Field != "" && f.Reason != "":
		return f.Field + " " + strings.TrimSuffix(f.Reason, ".") + "."
	case f.Reason != "":
		return f.Reason
	case f.Field != "":
		return f.Field + " is " + f.Kind.String() + "."
	}
	return "The request failed: " + f.Kind.String() + "."
}

type errorResponse struct {
	Response struct {
		Error struct {
			Code    string `json:"Code"`
			Message string `json:"Message"`
		} `json:"Error"`
		RequestID string `json:"RequestId"`
	} `json:"Response"`
}

// WriteError renders err in Tencent's error envelope with HTTP 200 and notes the outcome for
// the access log (with err as the cause only when it is a server-side failure).
func WriteError(ctx context.Context, w http.ResponseWriter, err error) {
	f := fault.InRequest(ctx, err)
	var body errorResponse
	body.Response.Error.Code = Code(f)
	body.Response.Error.Message = Message(f)
	body.Response.RequestID = requestID(ctx)
	var cause error
	if f.Kind == fault.Internal || f.Kind == fault.Timeout {
		cause = err
	}
	web.NoteOutcome(ctx, body.Response.Error.Code, cause)
	b, _ := json.Marshal(body) // strings only: cannot fail
	write(w, b)
}

// WriteResult renders v's fields and the RequestId inside {"Response":{…}} with HTTP 200. v must
// marshal to a JSON object (nil is an empty one); anything else is rendered as InternalError.
func WriteResult(ctx context.Context, w http.ResponseWriter, v any) {
	fields := []byte("{}")
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil || len(b) < 2 || b[0] != '{' {
			// The result may hold a secret, so the cause names no value.
			WriteError(ctx, w, errResultNotObject)
			return
		}
		fields = b
	}
	id, _ := json.Marshal(requestID(ctx))
	var buf bytes.Buffer
	buf.Grow(len(fields) + len(id) + 32)
	buf.WriteString(`{"Response":`)
	buf.Write(fields[:len(fields)-1]) // without the closing brace
	if len(fields) > 2 {
		buf.WriteByte(',')
	}
	buf.WriteString(`"RequestId":`)
	buf.Write(id)
	buf.WriteString("}}")
	write(w, buf.Bytes())
}

// write sends b as HTTP 200. The content type is exactly "application/json": the Python SDK
// only looks for an error in a body of that exact type (no charset), and the Go SDK reads
// errors whatever the status (docs/wire/tencent.md, "Response and error envelope").
func write(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// requestID is the middleware's request id, or a fresh one when the handler runs without it,
// because every Tencent response carries a RequestId.
func requestID(ctx context.Context) string {
	if id := web.RequestID(ctx); id != "" {
		return id
	}
	return web.NewRequestID()
}
