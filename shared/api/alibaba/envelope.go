// Package alibaba is the wire every keyport operation speaking Alibaba Cloud's APIG (ROA style)
// API shares: the request skeleton every operation runs in (Handle, with WithBody for a JSON
// body), the JSON envelope for success and error responses, the one mapping from fault kinds
// to Alibaba codes and statuses, and ACS3-HMAC-SHA256 request authentication with x-acs-date
// window and signature-nonce replay checks. The secret model is apigsecret, below it; the
// operations (functions/alibaba/...) import both.
//
// Nonce replay is refused at two levels. The Verifier keeps an in-memory cache, so a replay
// reaching the same process is refused at once, before any decoding or KMS call. A Lambda
// fleet has many processes, so the operation also puts Caller.SpendNonce first in the same
// store transaction as the resource it creates: a replay that reaches another instance is
// refused on that record, and the operation answers Replayed. A create thus stays exactly one
// storage write, and the store is the authority across instances.
package alibaba

import (
	"encoding/json"
	"net/http"

	"keyport/shared/fault"
	"keyport/shared/web"
)

// ContentType is what APIG responses carry; the SDK parses any non-XML error body as JSON.
const ContentType = "application/json;charset=utf-8"

// Service is the service name used in record keys, seal scopes and KMS encryption context.
const Service = "alibaba-apig"

type okBody struct {
	RequestID string `json:"requestId"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Data      any    `json:"data,omitempty"`
}

type errorBody struct {
	RequestID string `json:"requestId"`
	Code      string `json:"code"`
	Message   string `json:"message"`
}

// WriteOK renders HTTP 200 {"requestId","code":"Ok","message":"success","data":data}, the
// envelope of APIG's documented responses (lower camel case), and notes the "Ok" for the access
// log and audit trail. A nil data leaves "data" out, as APIG's UpdateSecret and DeleteSecret
// answers do.
func WriteOK(w http.ResponseWriter, r *http.Request, data any) {
	id := requestID(r)
	b, err := json.Marshal(okBody{id, "Ok", "success", data})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	web.NoteOutcome(r.Context(), "Ok", nil)
	write(w, id, http.StatusOK, b)
}

// WriteError renders err as {"requestId","code","message"} with the status Render chooses, and
// notes the outcome for the access log (with the cause only for a 5xx, which never renders it).
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg := Render(fault.InRequest(r.Context(), err))
	var cause error
	if status >= http.StatusInternalServerError {
		cause = err
	}
	web.NoteOutcome(r.Context(), code, cause)
	id := requestID(r)
	b, _ := json.Marshal(errorBody{id, code, msg}) // strings only: cannot fail
	write(w, id, status, b)
}

// write sends body with the request id also in x-acs-request-id, as Alibaba's gateways do.
func write(w http.ResponseWriter, id string, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("x-acs-request-id", id)
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write means the client left; nothing is left to tell it
}

// requestID is the middleware's id, or a fresh one when the handler runs without it (tests,
// tools) so the SDK always finds a requestId.
func requestID(r *http.Request) string {
	if id := web.RequestID(r.Context()); id != "" {
		return id
	}
	return web.NewRequestID()
}
