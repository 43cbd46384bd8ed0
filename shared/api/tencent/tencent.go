// Package tencent speaks Tencent Cloud API 3.0 on the server side: one POST / endpoint that
// routes on X-TC-Action, authenticates TC3-HMAC-SHA256 signatures against the credentials book,
// decodes JSON parameters strictly, and renders every result in the
// {"Response":{…,"RequestId":…}} envelope, errors included, always as HTTP 200.
//
// Each Tencent service's actions (API Gateway's key actions, EdgeOne's multi-path gateway key
// actions) mount on one Router, the handler of that service's function. The wire facts it
// relies on, and the calls it makes where Tencent is silent, are in docs/wire/tencent.md.
package tencent

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/policy"
	"keyport/shared/web"
)

// MaxBody is the largest request body accepted: Tencent's limit for TC3-signed POST requests.
const MaxBody = 10 << 20

// Action is one Tencent API action: its name (X-TC-Action), the service its signatures are
// scoped to (the credential scope, e.g. "apigateway"), its API version (X-TC-Version), and the
// function that serves an authenticated call. Handle returns a value that marshals to a JSON
// object (its fields go next to RequestId) or an error, preferably a *fault.Error. Op builds
// an Action from an operation's parameters and act.
type Action struct {
	Name    string
	Service string
	Version string
	Handle  func(ctx context.Context, c Call) (any, error)
	// InvalidCode, when set, is the code of every parameter value refusal the action answers
	// (a fault.Invalid that names no code of its own) in place of InvalidParameterValue: for an
	// action that documents one validation code (CreateApiKey's InvalidParameter.FormatError).
	InvalidCode string
}

// Call is an authenticated request handed to an Action.
type Call struct {
	Account string // the account of the SecretId that signed the request
	Region  string // X-TC-Region, "" when not sent
	Body    []byte // the raw JSON body, at most MaxBody bytes; decode it with Decode
	// Policy is the signing key's policy (nil: full access), which Op asks before act.
	Policy *policy.Policy
}

// Router returns the handler for Tencent's POST / endpoint serving the given actions. now is
// the clock for the signature window (nil means time.Now). It panics on two actions with one
// name, a programming error.
func Router(book *credentials.Book, now func() time.Time, actions ...Action) http.Handler {
	if now == nil {
		now = time.Now
	}
	rt := &router{auth: authenticator{book: book, now: now}, actions: map[string]Action{}}
	for _, a := range actions {
		if _, dup := rt.actions[a.Name]; dup {
			panic("tencent: action " + a.Name + " mounted twice")
		}
		rt.actions[a.Name] = a
	}
	return rt
}

type router struct {
	auth    authenticator
	actions map[string]Action
}

// ServeHTTP runs the checks in the order Tencent's gateway reports them: request form, size,
// action, version, signature; the action itself then decodes and validates. Every check that
// needs no body runs before the body is read (the declared size, the action, and all of the
// signature but its value), so an unauthenticated client cannot make the server hold 10 MB:
// only a caller with a known SecretId and a fresh timestamp gets its body read, and then under
// the process's body budget (web.Bodies).
func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := rt.serve(r)
	if err != nil {
		WriteError(r.Context(), w, err)
		return
	}
	WriteResult(r.Context(), w, resp)
}

func (rt *router) serve(r *http.Request) (any, error) {
	if err := checkForm(r); err != nil {
		return nil, err
	}
	if err := web.CheckLength(r, MaxBody); err != nil {
		return nil, err
	}
	act, err := rt.action(r.Header)
	if err != nil {
		return nil, err
	}
	audit.SetOperation(r.Context(), "tencent."+act.Name)
	sig, err := rt.auth.precheck(r, act)
	if err != nil {
		return nil, err
	}
	body, err := web.ReadBody(r, MaxBody)
	if err != nil {
		return nil, err
	}
	account, err := sig.verify(r, body)
	if err != nil {
		return nil, err
	}
	resp, err := act.Handle(r.Context(), Call{Account: account, Region: r.Header.Get("X-TC-Region"), Body: body, Policy: sig.key.Policy})
	return resp, act.coded(err)
}

// coded gives err the action's InvalidCode when err is a parameter value refusal without a
// code of its own.
func (a Action) coded(err error) error {
	if f := fault.As(err); err != nil && a.InvalidCode != "" && f.Kind == fault.Invalid && f.Code == "" {
		return f.WithCode(a.InvalidCode)
	}
	return err
}

// onlyPostJSON is the one message for every request form keyport does not serve.
const onlyPostJSON = "Only POST requests with a JSON body (Content-Type: application/json) signed with TC3-HMAC-SHA256 are supported."

// checkForm refuses everything but a JSON POST. Tencent also accepts GET and form-encoded POST
// (v1 HmacSHA1/HmacSHA256 signatures); keyport does not. Both are reported as
// UnsupportedProtocol, Tencent's common code for a request whose HTTP form the API does not
// accept: it is not a parameter or signature problem, and the message says what to send
// instead. (The SDK's default profile already sends JSON POST with TC3.)
func checkForm(r *http.Request) error {
	if r.Method != http.MethodPost {
		return fault.New(fault.BadMethod, "", onlyPostJSON)
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return fault.New(fault.UnsupportedType, "", onlyPostJSON)
	}
	return nil
}

// action finds the action named by X-TC-Action and checks X-TC-Version against it.
func (rt *router) action(h http.Header) (Action, error) {
	name := h.Get("X-TC-Action")
	act, ok := rt.actions[name]
	if !ok {
		if name == "" {
			return act, fault.New(fault.UnknownAction, "", "The X-TC-Action header is missing.")
		}
		return act, fault.Newf(fault.UnknownAction, "", "The action %q does not exist.", clip(name))
	}
	if v := h.Get("X-TC-Version"); v != act.Version {
		return act, fault.Newf(fault.UnknownAction, "",
			"The version %q does not exist for %s; use %s.", clip(v), act.Name, act.Version).WithCode("NoSuchVersion")
	}
	return act, nil
}

// clip bounds client-supplied text echoed in a message.
func clip(s string) string {
	const max = 64
	if len(s) > max {
		return fmt.Sprintf("%.*s…", max, s)
	}
	return s
}
