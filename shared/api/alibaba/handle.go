package alibaba

import (
	"net/http"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/policy"
	"keyport/shared/web"
)

// MaxBody is keyport's request body limit for APIG (1 MB; APIG documents none). The largest
// valid body (64 KiB of secretData plus small fields) is far below it.
const MaxBody = 1 << 20

// Op is an operation's work on an authenticated request: it returns what to render under
// "data" (nil for an envelope without data) or an error, which is rendered by WriteError. c is
// the caller: its Account is the scope of every record the operation may touch.
type Op func(r *http.Request, c Caller, body []byte) (any, error)

// Handle returns the handler of one APIG operation: the request skeleton every Alibaba
// operation runs in. In this order, written here once: read the body up to MaxBody,
// authenticate the request (signature, date window, in-memory nonce cache) and so learn its
// account, ask the key's policy about the operation on the secret the path names (resource),
// run op (which, through WithBody, decodes and validates before it acts), and render
// op's result or any error in APIG's envelope. Nothing op does can happen before the caller is
// known.
//
// Routing is not Handle's job: operation.Mux mounts the handler at its row's route (and
// answers other methods and paths), so op can rely on r.PathValue, which holds the segment
// percent-decoded. Each handler has its own Verifier and so its own nonce cache; an operation
// that succeeds also spends the nonce in the store (Caller.SpendNonce, Spend) so that a replay
// reaching another instance is refused too.
func Handle(creds *credentials.Book, now func() time.Time, op Op) http.Handler {
	v := NewVerifier(creds, now)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := run(v, r, op)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		WriteOK(w, r, data)
	})
}

func run(v *Verifier, r *http.Request, op Op) (any, error) {
	body, err := web.ReadBody(r, MaxBody)
	if err != nil {
		return nil, err
	}
	c, err := v.Verify(r, body)
	if err != nil {
		return nil, err
	}
	if err := policy.Authorize(r.Context(), resource(r), c.Policy); err != nil {
		return nil, err
	}
	return op(r, c, body)
}

// resource is what a credential's policy is asked about (docs/policies.md): the secret the
// path names, by name (GetSecretValue's {name}) or by id ({secretId}), before anything is
// read; policy.Any for a create or a list, which name none (a list's items are then filtered
// by the policy, by name or id: policy.Visible).
func resource(r *http.Request) string {
	if name := r.PathValue("name"); name != "" {
		return name
	}
	if id := r.PathValue("secretId"); id != "" {
		return id
	}
	return policy.Any
}

// Request is an operation's request body type: a struct that DecodeBody fills, with its rules.
type Request interface {
	// Validate applies the operation's rules, reporting the first field that breaks one.
	Validate() error
}

// Decode parses body as a Req (see DecodeBody) and validates it: the one place where an APIG
// request body becomes a value an operation may act on.
func Decode[Req Request](contentType string, body []byte) (Req, error) {
	var req Req
	if err := DecodeBody(contentType, body, &req); err != nil {
		return req, err
	}
	return req, req.Validate()
}

// WithBody is the Op of an operation that takes a JSON body: the body is decoded and validated
// (Decode) before act runs, so act sees only a valid request.
func WithBody[Req Request](act func(r *http.Request, c Caller, req Req) (any, error)) Op {
	return func(r *http.Request, c Caller, body []byte) (any, error) {
		req, err := Decode[Req](r.Header.Get("Content-Type"), body)
		if err != nil {
			return nil, err
		}
		return act(r, c, req)
	}
}
