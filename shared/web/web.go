// Package web is the HTTP plumbing every handler shares: a request id per request, one JSON log
// line per request (never a body, header value or secret), and bounded body reading.
package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"keyport/shared/fault"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	outcomeKey
)

// RequestID returns the id the middleware gave this request ("" outside the middleware).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// NewRequestID returns a random UUIDv4 string from crypto/rand.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// outcome is filled in by envelopes so the access log line can say what happened.
type outcome struct {
	code  string // vendor code rendered, if any
	cause error  // internal cause of a 5xx, logged but never rendered
}

// NoteOutcome records the vendor code a handler rendered and, for server faults, the internal
// cause, so the request's single log line carries them. Safe to call outside the middleware.
func NoteOutcome(ctx context.Context, code string, cause error) {
	if o, ok := ctx.Value(outcomeKey).(*outcome); ok {
		o.code, o.cause = code, cause
	}
}

// Logged wraps h so each request gets an id (in its context) and one log line when it ends.
// op names the operation in the log line.
func Logged(logger *slog.Logger, op string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := NewRequestID()
		out := &outcome{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), outcomeKey, out)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r.WithContext(ctx))
		attrs := []slog.Attr{
			slog.String("request_id", id), slog.String("op", op),
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000),
		}
		if out.code != "" {
			attrs = append(attrs, slog.String("code", out.code))
		}
		level := slog.LevelInfo
		if out.cause != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("cause", out.cause.Error()))
		}
		logger.LogAttrs(ctx, level, "request", attrs...)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// ReadBody reads at most limit bytes of r's body. A longer body is a fault.TooLarge.
func ReadBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, fault.Newf(fault.TooLarge, "", "request body is over %d bytes", limit)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, fault.Newf(fault.TooLarge, "", "request body is over %d bytes", limit)
		}
		return nil, fault.New(fault.Malformed, "", "request body could not be read")
	}
	if int64(len(b)) > limit {
		return nil, fault.Newf(fault.TooLarge, "", "request body is over %d bytes", limit)
	}
	return b, nil
}
