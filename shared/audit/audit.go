// Package audit is keyport's audit trail: exactly one JSON event per request, on a stream of
// its own apart from the request log, saying who called (principal, account), what they asked
// for (dialect, operation, resource), from where (source) and how it ended (outcome, status).
//
// The HTTP middleware (shared/web.Logged) starts a Recorder for every request and writes its
// event when the handler returns, so refusals and early returns are covered without any
// handler having to remember to emit. Authentication code fills the principal and account,
// handlers the id of what they created, through the Set functions below; those are no-ops for
// a context without a Recorder, so handlers keep working outside the middleware.
//
// An event never holds secret material: no secret values, signatures or request bodies, and a
// bearer token only as a keyed hash (see BearerPrincipal). Every string field is clipped to
// MaxField bytes, because several (the principal, the Tencent action) are client-supplied.
package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// LogType is the value of every event's "log_type" field. The events share a CloudWatch log
// group with the request log on Lambda; a metric filter or subscription selects them with
// { $.log_type = "audit" }.
const LogType = "audit"

// OutcomeUnknown is the outcome of a request whose time budget ran out in a backend call: the
// client got the vendor's retryable server error, but the write the call carried may still
// have been applied (a create may exist). An operator reconciles such events by listing or
// describing the resource the request named before trusting the refusal.
const OutcomeUnknown = "unknown"

// OutcomeDenied is the outcome of a request a credential's policy refused (SetDenied), in
// place of the vendor code its refusal rendered.
const OutcomeDenied = "denied"

// MaxField is the most bytes any string field of a written event holds; longer values are cut
// at a character boundary and end in "…". A client can send a SecretId of any length, and an
// audit line must stay one bounded line.
const MaxField = 128

// Event is one request's audit record.
type Event struct {
	// Time is when the request arrived (written in UTC).
	Time time.Time `json:"time"`
	// RequestID is the id the response carried, to match the event to the request log line.
	RequestID string `json:"request_id"`
	// TraceID is the X-Ray trace id the request ran under (on Lambda: the Root of the
	// invocation's trace header), to find the request's trace; absent locally.
	TraceID string `json:"trace_id,omitempty"`
	// Dialect is the wire spoken: "tencent", "alibaba", "gcore" or "k5" (Barbican).
	Dialect string `json:"dialect"`
	// Operation is "<dialect>.<Operation>", e.g. "tencent.CreateApiKey"; for the Tencent router,
	// the dialect alone when no action was resolved.
	Operation string `json:"operation"`
	// Principal is who signed: the Tencent SecretId or Alibaba AccessKeyId as sent, or for a
	// bearer token (Gcore API key, K5 X-Auth-Token) its BearerPrincipal. Empty when the request
	// named no one.
	Principal string `json:"principal"`
	// Account is the account or tenant the request acted in: the signing key's account
	// (Tencent, Alibaba), the token's tenant (K5), the project addressed (Gcore). Empty when
	// the principal is unknown.
	Account string `json:"account"`
	// Resource is the id of what the request created or read: the key or secret id, the zone
	// id (EdgeOne), the task id (Gcore). Empty for a refusal, but for a policy's: then the
	// resource the policy was asked about (docs/policies.md).
	Resource string `json:"resource"`
	// Action is the policy action a credential's policy refused ("tencent:DescribeApiKey"),
	// set only with the outcome OutcomeDenied.
	Action string `json:"action,omitempty"`
	// Outcome is the code the response rendered (Tencent Error.Code, Alibaba code, Gcore
	// exception_class) or, where the wire has none (Barbican, and Tencent and Gcore success),
	// the status's reason phrase, such as "Created" or "Unauthorized"; OutcomeUnknown when
	// the request ran out of time in a backend call and its effect is not known.
	Outcome string `json:"outcome"`
	// Status is the HTTP status sent. Tencent sends 200 for errors too: Outcome tells them apart.
	Status int `json:"status"`
	// Source is the client's IP address: the TCP peer locally, API Gateway's
	// requestContext.http.sourceIp on Lambda. Never taken from X-Forwarded-For, which the
	// client writes.
	Source string `json:"source"`
}

// clipped returns e with every string field cut to MaxField and the time in UTC.
func (e Event) clipped() Event {
	e.Time = e.Time.UTC()
	for _, f := range []*string{&e.RequestID, &e.TraceID, &e.Dialect, &e.Operation, &e.Principal, &e.Account,
		&e.Resource, &e.Action, &e.Outcome, &e.Source} {
		*f = clip(*f)
	}
	return e
}

// clip cuts s to at most MaxField bytes, ending in "…" when cut, without splitting a UTF-8
// sequence.
func clip(s string) string {
	if len(s) <= MaxField {
		return s
	}
	const ellipsis = "…"
	cut := MaxField - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// Writer writes events as JSON lines to one stream. It is safe for concurrent use, and lines
// never interleave: each event is marshalled first, and lines reach out only whole, in one Write
// with the lines of the events written at the same time (group write). Write returns once its
// line has been handed to out, so an event is on its stream before the request's answer goes
// out, yet a burst of requests costs one write to the stream, not one each.
type Writer struct {
	out     io.Writer
	mu      sync.Mutex // guards pending
	pending *group     // the lines not yet handed to a writer; nil when there are none
	turn    sync.Mutex // held by the one Write that is writing a group to out
}

// group is lines written to out together, and what became of them.
type group struct {
	lines   []byte
	written chan struct{} // closed once lines went to out; err is set then
	err     error
}

// scratch holds the buffers events are encoded into before they join a group.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// NewWriter returns a Writer appending to out.
func NewWriter(out io.Writer) *Writer { return &Writer{out: out} }

// Write writes e as one line {"log_type":"audit",…}, its string fields clipped to MaxField.
func (w *Writer) Write(e Event) error {
	buf := scratch.Get().(*[]byte)
	b, err := appendLine((*buf)[:0], e.clipped())
	if err != nil {
		scratch.Put(buf)
		return err // only a time outside years 0–9999 can fail to be written
	}
	w.mu.Lock()
	g := w.pending
	if g == nil {
		g = &group{written: make(chan struct{}), lines: make([]byte, 0, len(b)+1)}
		w.pending = g
	}
	g.lines = append(append(g.lines, b...), '\n')
	w.mu.Unlock()
	*buf = b
	scratch.Put(buf)

	w.turn.Lock()
	defer w.turn.Unlock()
	select {
	case <-g.written: // an earlier turn wrote this line with its own
		return g.err
	default:
	}
	w.mu.Lock()
	w.pending = nil // g is closed: lines from now on start the next group
	w.mu.Unlock()
	_, g.err = w.out.Write(g.lines)
	close(g.written)
	return g.err
}

// Recorder collects one request's event while the request runs and writes it once. It is safe
// for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	e       Event
	written bool
	denied  bool // SetDenied: the outcome is OutcomeDenied whatever was rendered
}

type ctxKey struct{}

// Begin returns ctx carrying a new Recorder seeded with e, and the Recorder.
func Begin(ctx context.Context, e Event) (context.Context, *Recorder) {
	rec := &Recorder{e: e}
	return context.WithValue(ctx, ctxKey{}, rec), rec
}

// Finish sets the outcome and status and writes the event to w. Only the first call writes;
// later calls, and Set calls after it, change nothing, so a request has exactly one event.
func (r *Recorder) Finish(w *Writer, outcome string, status int) error {
	r.mu.Lock()
	if r.written {
		r.mu.Unlock()
		return nil
	}
	r.written = true
	if r.denied {
		outcome = OutcomeDenied
	}
	r.e.Outcome, r.e.Status = outcome, status
	e := r.e
	r.mu.Unlock()
	return w.Write(e)
}

// update applies set to the Recorder in ctx, if there is one and it has not written yet.
func update(ctx context.Context, set func(e *Event)) {
	r, ok := ctx.Value(ctxKey{}).(*Recorder)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.written {
		set(&r.e)
	}
}

// SetPrincipal records who signed the request and the account their key belongs to (""
// when the key is unknown). principal must be an id, never a secret: pass a bearer token
// through SetBearer instead.
func SetPrincipal(ctx context.Context, principal, account string) {
	update(ctx, func(e *Event) { e.Principal, e.Account = principal, account })
}

// SetBearer records a bearer token's caller as BearerPrincipal(key, token), with the tenant
// the token is scoped to ("" when it is unknown). An empty token records nothing.
func SetBearer(ctx context.Context, key []byte, token, account string) {
	if token == "" {
		return
	}
	SetPrincipal(ctx, BearerPrincipal(key, token), account)
}

// SetAccount records the account or tenant the request acts in, when it is known only after
// the principal (a Gcore token reaches several projects; the path names one).
func SetAccount(ctx context.Context, account string) {
	update(ctx, func(e *Event) { e.Account = account })
}

// SetOperation replaces the operation name the middleware was given, for a router that learns
// the operation from the request (Tencent's X-TC-Action).
func SetOperation(ctx context.Context, op string) {
	update(ctx, func(e *Event) { e.Operation = op })
}

// SetResource records the id of what the request created or read.
func SetResource(ctx context.Context, id string) {
	update(ctx, func(e *Event) { e.Resource = id })
}

// SetDenied records that a credential's policy refused action on resource: the event's outcome
// is OutcomeDenied, with the action and the resource.
func SetDenied(ctx context.Context, action, resource string) {
	r, ok := ctx.Value(ctxKey{}).(*Recorder)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.written {
		r.denied, r.e.Action, r.e.Resource = true, action, resource
	}
}

// bearerPrefix marks a principal as a token hash rather than a key id.
const bearerPrefix = "hmac:"

// BearerPrincipal is the principal recorded for a bearer token: "hmac:" and the hex of the
// first 16 bytes of HMAC-SHA256(key, token). The same token gives the same principal for as
// long as key stays the same, so one caller's events can be followed; without key, a reader of
// the trail can neither recover the token nor test a guess at it, which an unkeyed hash of a
// short token would allow. 128 bits keep accidental collisions out of reach.
func BearerPrincipal(key []byte, token string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(token))
	return bearerPrefix + hex.EncodeToString(m.Sum(nil)[:16])
}

// DialectOf returns the dialect an operation name starts with: the text before its first dot,
// or the whole name (the Tencent router is mounted as plain "tencent").
func DialectOf(op string) string {
	dialect, _, _ := strings.Cut(op, ".")
	return dialect
}
