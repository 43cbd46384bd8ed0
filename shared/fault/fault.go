// Package fault gives every error in keyport a kind, so that each vendor's envelope is chosen
// from what went wrong rather than from parsing a message.
//
// A fault's Reason and Field are shown to API clients: they must never contain a secret value,
// a signature or a key.
package fault

import (
	"context"
	"errors"
	"fmt"
)

// Kind says what went wrong, independent of any vendor's wording.
type Kind uint8

// The kinds. Internal is the zero value so an unclassified error is never shown as a client fault.
const (
	Internal        Kind = iota // a server-side failure; its cause is logged, never rendered
	Invalid                     // a field breaks a rule (format, range, enum)
	Missing                     // a required field is absent
	Malformed                   // the body cannot be decoded at all
	TooLarge                    // the body or a field is over its size limit
	UnsupportedType             // the Content-Type is not one the API accepts
	Unauthenticated             // no credentials, unknown credentials or a bad signature
	Expired                     // a signed timestamp is outside the accepted window
	Replayed                    // a signature nonce was already used inside its window
	Forbidden                   // authenticated, but not allowed to reach this tenant or project
	Exists                      // a uniqueness rule refused the write
	LimitExceeded               // a quota refused the write
	NotFound                    // the addressed resource does not exist (or has expired)
	UnknownAction               // the API has no such action or route
	BadMethod                   // the route exists but not for this HTTP method
	NotAcceptable               // the resource cannot be rendered in the representation asked for (Accept)
	Timeout                     // the request's time budget ran out in a backend call: a write may or may not have been applied
	Busy                        // the server refused the request to stay within a load limit; nothing was done
	Denied                      // authenticated, but the credential's policy does not allow the action on the resource (docs/policies.md)
)

var kindNames = [...]string{"internal", "invalid", "missing", "malformed", "too large",
	"unsupported type", "unauthenticated", "expired", "replayed", "forbidden", "exists",
	"limit exceeded", "not found", "unknown action", "bad method", "not acceptable", "timeout", "busy", "denied"}

// String names the kind for logs.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is a classified failure. Code, when set, is the exact vendor error code the operation
// wants rendered (for example "FailedOperation.AccessKeyExist"); otherwise the vendor's envelope
// picks a code from the Kind.
type Error struct {
	Kind   Kind
	Field  string // the request field at fault, in the vendor's own spelling; may be empty
	Reason string // client-safe explanation
	Code   string // optional vendor code override
}

// Error renders "field: reason" for logs and messages.
func (e *Error) Error() string {
	switch {
	case e.Field != "" && e.Reason != "":
		return e.Field + ": " + e.Reason
	case e.Reason != "":
		return e.Reason
	case e.Field != "":
		return e.Field + ": " + e.Kind.String()
	}
	return e.Kind.String()
}

// New returns a fault of kind k about field.
func New(k Kind, field, reason string) *Error {
	return &Error{Kind: k, Field: field, Reason: reason}
}

// Newf is New with a formatted reason.
func Newf(k Kind, field, format string, args ...any) *Error {
	return &Error{Kind: k, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// WithCode returns a copy of e that renders as the given vendor code.
func (e *Error) WithCode(code string) *Error {
	c := *e
	c.Code = code
	return &c
}

// As returns the *Error in err's chain, or a new Internal fault wrapping nothing client-visible.
func As(err error) *Error {
	var f *Error
	if errors.As(err, &f) {
		return f
	}
	return &Error{Kind: Internal}
}

// InRequest is As for an error met while serving a request whose context is ctx: a failure
// that is not the client's, met once ctx's deadline has passed (or caused by it), is a Timeout.
// Operations turn backend errors into text on purpose (a store error must never render as a
// client fault), so the deadline is read from ctx rather than from err's chain.
func InRequest(ctx context.Context, err error) *Error {
	f := As(err)
	if f.Kind == Internal && (errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)) {
		return &Error{Kind: Timeout}
	}
	return f
}

// KindOf returns the kind of err; Internal for unclassified errors.
func KindOf(err error) Kind {
	if err == nil {
		return Internal
	}
	return As(err).Kind
}

// IsClient reports whether err is the client's fault: anything but Internal, Timeout and Busy,
// which are the server's.
func IsClient(err error) bool {
	if err == nil {
		return false
	}
	k := KindOf(err)
	return k != Internal && k != Timeout && k != Busy
}
