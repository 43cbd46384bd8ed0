// Package web is the HTTP plumbing every handler shares: a request id per request, one JSON log
// line and one audit event per request (never a body, header value or secret), and bounded
// body reading.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"keyport/shared/audit"
	"keyport/shared/fault"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	outcomeKey
	traceIDKey
)

// RequestID returns the id the middleware gave this request ("" outside the middleware).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// WithTraceID returns ctx carrying id, the X-Ray trace id the request runs under (on Lambda,
// set by shared/lambdaapp from the invocation's trace header), which Logged puts in the
// request's log line and audit event. An empty id carries nothing.
func WithTraceID(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, traceIDKey, id)
}

// TraceID returns the trace id WithTraceID put in ctx, or "".
func TraceID(ctx context.Context) string {
	id, _ := ctx.Value(traceIDKey).(string)
	return id
}

// NewRequestID returns a random UUIDv4 string from crypto/rand.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	hex.Encode(s[9:13], b[4:6])
	hex.Encode(s[14:18], b[6:8])
	hex.Encode(s[19:23], b[8:10])
	hex.Encode(s[24:36], b[10:16])
	s[8], s[13], s[18], s[23] = '-', '-', '-', '-'
	return string(s[:])
}

// outcome is filled in by envelopes so the access log line can say what happened.
type outcome struct {
	code    string // vendor code rendered, if any
	cause   error  // internal cause of a 5xx, logged but never rendered
	unknown bool   // the request's budget ran out in a backend call: its effect is unknown
}

// NoteOutcome records the vendor code a handler rendered and, for server faults, the internal
// cause, so the request's log line carries them (and its audit event the code). A cause met
// once ctx's deadline had passed (fault.Timeout) makes the audit outcome audit.OutcomeUnknown
// instead: the write it carried may have been applied. Safe to call outside the middleware.
func NoteOutcome(ctx context.Context, code string, cause error) {
	if o, ok := ctx.Value(outcomeKey).(*outcome); ok {
		o.code, o.cause = code, cause
		o.unknown = cause != nil && fault.InRequest(ctx, cause).Kind == fault.Timeout
	}
}

// Logged wraps h so each request gets an id (in its context), one request log line on logger
// and one audit event on trail when it ends. op names the operation in both, as
// "<dialect>.<Operation>" (e.g. "alibaba.CreateSecret"), or the dialect alone for a router that
// names the operation itself through audit.SetOperation. trail is required: every operation
// leaves an audit event, so a server without one is a wiring mistake, caught at start-up.
//
// The audit trail fails closed: h's answer is held until its event is written, and sent only
// then; when the event cannot be written, the answer (a secret value, a created id, metadata) is
// dropped and the dialect's server error sent instead (SetFaultWriter), so nothing leaves and no
// write is acknowledged without its event (docs/audit.md, "When the trail cannot be written").
//
// The line and the event are written even when h panics (status 500 unless h had already
// written one), and the panic then goes on unrecovered, so net/http and the Lambda runtime still
// see it with its stack intact.
func Logged(logger *slog.Logger, trail *audit.Writer, op string, h http.Handler) http.Handler {
	if trail == nil {
		panic("web: Logged needs an audit writer")
	}
	dialect := audit.DialectOf(op)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := NewRequestID()
		out := &outcome{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), outcomeKey, out)
		ctx, rec := audit.Begin(ctx, audit.Event{Time: start, RequestID: id, TraceID: TraceID(ctx),
			Dialect: dialect, Operation: op, Source: sourceIP(r.RemoteAddr)})
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		returned := false
		// commit writes the audit event, then sends the answer h wrote; when the event cannot
		// be written, the answer is dropped and the dialect's server error sent instead (fail
		// closed: no secret value leaves and no write is acknowledged unaudited).
		sw.commit = func(panicked bool) {
			if panicked && !sw.wroteHeader {
				sw.status = http.StatusInternalServerError
			}
			if panicked && out.cause == nil {
				out.cause = errPanicked
			}
			if err := rec.Finish(trail, out.outcomeFor(sw.status), sw.status); err != nil {
				logger.LogAttrs(ctx, slog.LevelError, "audit event not written",
					slog.String("request_id", id), slog.String("error", err.Error()))
				sw.refuse(r, dialect)
				out.code, out.cause = "", fmt.Errorf("%w: %v", errAuditUnwritten, err)
			} else {
				sw.send()
			}
			logRequest(ctx, logger, op, r, sw.sentStatus, start, out)
		}
		defer func() { sw.flush(!returned) }()
		h.ServeHTTP(sw, r)
		returned = true
	})
}

// errAuditUnwritten is the logged cause of a request refused because its audit event could
// not be written.
var errAuditUnwritten = errors.New("audit event not written: the answer was withheld")

// errAnswered refuses a write after the answer went out.
var errAnswered = errors.New("web: the answer was already sent")

// faultWriters render a server error in a dialect's envelope, by dialect name (SetFaultWriter).
var faultWriters sync.Map // string -> func(w http.ResponseWriter, r *http.Request, err error)

// SetFaultWriter registers how dialect renders an error (the composition roots register every
// dialect's envelope at start-up: operation.UseEnvelopesForAuditFailures), for the refusal
// Logged sends when an audit event cannot be written. A dialect without one gets a bare 503.
func SetFaultWriter(dialect string, write func(w http.ResponseWriter, r *http.Request, err error)) {
	faultWriters.Store(dialect, write)
}

// errPanicked is the logged cause of a request whose handler panicked.
var errPanicked = errors.New("handler panicked")

// logRequest writes the request's one log line.
func logRequest(ctx context.Context, logger *slog.Logger, op string, r *http.Request, status int, start time.Time, out *outcome) {
	attrs := []slog.Attr{
		slog.String("request_id", RequestID(ctx)), slog.String("op", op),
		slog.String("method", Clip(r.Method)), slog.String("path", Clip(r.URL.Path)),
		slog.String("user_agent", Clip(r.UserAgent())),
		slog.Int("status", status), slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000),
	}
	if trace := TraceID(ctx); trace != "" {
		attrs = append(attrs, slog.String("trace_id", Clip(trace)))
	}
	if out.code != "" {
		attrs = append(attrs, slog.String("code", Clip(out.code)))
	}
	if out.unknown {
		attrs = append(attrs, slog.String("outcome", audit.OutcomeUnknown))
	}
	level := slog.LevelInfo
	if out.cause != nil {
		level = slog.LevelError
		attrs = append(attrs, slog.String("cause", Clip(out.cause.Error())))
		var p *Panic
		if errors.As(out.cause, &p) {
			attrs = append(attrs, slog.String("stack", p.Stack)) // unclipped: it is ours, never the client's
		}
	}
	logger.LogAttrs(ctx, level, "request", attrs...)
}

// outcomeFor is the audit outcome: audit.OutcomeUnknown when the budget ran out in a backend
// call; else the vendor code the envelope noted or, when none was (a
// success on a wire without success codes, Barbican, a response no envelope wrote), the
// status's reason phrase, which is what such a response says on the wire.
func (o *outcome) outcomeFor(status int) string {
	if o.unknown {
		return audit.OutcomeUnknown
	}
	if o.code != "" {
		return o.code
	}
	if text := http.StatusText(status); text != "" {
		return text
	}
	return strconv.Itoa(status)
}

// sourceIP is the client address without its port. net/http sets RemoteAddr to the TCP peer's
// "host:port"; the Lambda adapter sets it to API Gateway's requestContext.http.sourceIp, a bare
// address (IPv4, or IPv6 without brackets), which is kept as it is.
func sourceIP(remoteAddr string) string {
	if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return host
	}
	return remoteAddr
}

// statusWriter holds the answer h writes (status, body; headers go to the server's writer's
// map, which nothing sends before WriteHeader) until the request's audit event is written:
// flush, at the end of the request or on the first Flush, writes the event and then sends the
// answer, or a refusal in its place.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        []byte
	commit      func(panicked bool)
	committed   bool
	sentStatus  int // the status that went out
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
}

// Unwrap gives http.ResponseController the server's writer, for deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush commits the answer (audit event, then the answer) and flushes it: a handler that
// flushes has finished its answer (Bodies flushes before draining an unread body).
func (w *statusWriter) Flush() {
	w.flush(false)
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.committed {
		return 0, errAnswered
	}
	w.wroteHeader = true // an implicit 200, as net/http sends it
	w.body = append(w.body, b...)
	return len(b), nil
}

// flush commits once; panicked says h is panicking rather than done.
func (w *statusWriter) flush(panicked bool) {
	if !w.committed {
		w.committed = true
		w.commit(panicked)
	}
}

// send sends the held answer.
func (w *statusWriter) send() {
	w.sentStatus = w.status
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(w.body)
	clear(w.body) // it may hold a secret value
}

// refuse drops the held answer (its headers too) and sends dialect's server error instead.
func (w *statusWriter) refuse(r *http.Request, dialect string) {
	clear(w.body)
	clear(w.ResponseWriter.Header())
	rw := &sentWriter{ResponseWriter: w.ResponseWriter, status: http.StatusOK}
	if write, ok := faultWriters.Load(dialect); ok {
		write.(func(http.ResponseWriter, *http.Request, error))(rw, r, errAuditUnwritten)
	} else {
		rw.WriteHeader(http.StatusServiceUnavailable)
	}
	w.sentStatus = rw.status
}

// sentWriter remembers the status of a refusal written straight to the server's writer.
type sentWriter struct {
	http.ResponseWriter
	status int
}

func (w *sentWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// CheckLength refuses a request whose declared Content-Length is over limit, before anything
// is read: the cheapest of the body checks.
func CheckLength(r *http.Request, limit int64) error {
	if r.ContentLength > limit {
		return tooLarge(limit)
	}
	return nil
}

func tooLarge(limit int64) error {
	return fault.Newf(fault.TooLarge, "", "request body is over %d bytes", limit)
}

// ReadBody reads at most limit bytes of r's body. A longer body is a fault.TooLarge. When r came
// through Bodies.Wrap, the bytes it will hold (the declared length, or limit when none is
// declared) are taken from the process's body budget first; a spent budget is a fault.Busy and
// nothing is read.
func ReadBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if err := CheckLength(r, limit); err != nil {
		return nil, err
	}
	size := limit
	if r.ContentLength >= 0 {
		size = r.ContentLength
	}
	if b, ok := r.Body.(*budgetedBody); ok && !b.reserve(size) {
		return nil, errBusy
	}
	var b []byte
	var err error
	if r.ContentLength >= 0 {
		// Exactly the declared length: no buffer doubling, so what is held is what was reserved.
		b = make([]byte, r.ContentLength)
		_, err = io.ReadFull(r.Body, b)
	} else {
		b, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
	}
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, tooLarge(limit)
		}
		return nil, fault.New(fault.Malformed, "", "request body could not be read")
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}
