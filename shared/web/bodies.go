package web

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"keyport/shared/fault"
)

// Bodies is a process-wide budget of request-body bytes held in memory at once. Each vendor
// limits one body (Tencent: 10 MB), but not how many arrive together: without a budget, a few
// hundred concurrent large bodies take the process out of memory. With one, a request whose
// body would not fit is refused at once with the vendor's throttling answer (fault.Busy) and
// never read; the bytes are given back when its handler returns.
//
// Only the local server needs it: on Lambda, API Gateway has already buffered the body (at most
// its payload limit) before the function runs, and one invocation runs at a time.
type Bodies struct {
	max  int64
	held atomic.Int64
}

// NewBodies returns a budget of max bytes.
func NewBodies(max int64) *Bodies { return &Bodies{max: max} }

// Held is the number of bytes reserved now, for tests and metrics.
func (b *Bodies) Held() int64 { return b.held.Load() }

// errBusy is the fault a request gets when its body does not fit in the budget. It says
// nothing about the budget's size or use.
var errBusy = fault.New(fault.Busy, "", "the server is busy with other requests; retry later")

// maxDrain is the most of an unread body discarded after the answer (see Wrap): more than any
// vendor's body limit, so every body a vendor would accept is drained.
const maxDrain = 16 << 20

// Wrap runs h with r's body drawn from the budget: ReadBody reserves what it will hold before
// reading, and every byte reserved is released when h returns.
//
// A body h refused without reading (a failed check, a busy answer) is then read and discarded,
// up to maxDrain bytes, after the answer is flushed: a client still sending its body would
// otherwise have its connection reset by the close net/http makes, and lose the answer already
// sent. Draining costs bandwidth and a pooled 32 KiB buffer, never the body's size in memory.
func (b *Bodies) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		body := &budgetedBody{ReadCloser: r.Body, budget: b}
		r2 := *r // r is the server's; its Body is not ours to replace
		r2.Body = body
		h.ServeHTTP(w, &r2)
		body.release()
		if body.eof {
			return // read to the end: nothing left to drain, and net/http sends the answer in one write
		}
		if !body.read && strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
			// The client waits for "100 Continue" before it sends the body, and net/http sends
			// that only on the first Read: this body will never come. Draining it here, or
			// net/http's own drain when the handler returns, would hold the connection until the
			// read timeout; ending the reads now lets net/http send the answer and close.
			_ = http.NewResponseController(w).SetReadDeadline(time.Now())
			return
		}
		_ = http.NewResponseController(w).Flush()
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
	})
}

// budgetedBody is a request body whose reader holds a reservation in a Bodies.
type budgetedBody struct {
	io.ReadCloser
	budget   *Bodies
	reserved int64 // touched only by the request's own goroutine
	read     bool  // a Read was made (so a 100 Continue, if expected, was sent)
	eof      bool  // a Read reached the end of the body
}

// Read reads the body, noting that it was asked for and when it reaches the end.
func (b *budgetedBody) Read(p []byte) (int, error) {
	b.read = true
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

// reserve takes n more bytes from the budget, or none if they do not fit.
func (b *budgetedBody) reserve(n int64) bool {
	if n <= 0 {
		return true
	}
	if b.budget.held.Add(n) > b.budget.max {
		b.budget.held.Add(-n)
		return false
	}
	b.reserved += n
	return true
}

func (b *budgetedBody) release() {
	b.budget.held.Add(-b.reserved)
	b.reserved = 0
}
