package web

import (
	"context"
	"net/http"
	"time"
)

// Budget is the time a request may spend before its answer must be on its way. It is computed
// here and nowhere else; every backend call (store, sealer, credentials refresh) runs under the
// request context it sets, so a stalled backend costs a request its budget, not its answer.
//
// The deadline is the earlier of now+Limit and an inherited deadline (Lambda's, which the
// adapter puts in r.Context()) minus Margin; Margin is left for rendering the vendor's
// envelope and handing it back.
type Budget struct {
	// Limit is the most a request may take; zero means no limit of the budget's own.
	Limit time.Duration
	// Margin is kept back from an inherited deadline.
	Margin time.Duration
}

// MinMargin is the least time kept back for answering. Rendering an envelope takes
// microseconds; the margin is for a stalled SDK call to notice its context and return, and for
// the bytes to reach the client before the server's write deadline.
const MinMargin = 500 * time.Millisecond

// ForWriteTimeout is the budget of a server whose http.Server.WriteTimeout is wt: the answer
// must be written before wt (net/http drops it silently after), so a fifth of wt, at least
// MinMargin and at most 2 s, is kept back for it: on a loaded machine a stalled SDK call takes
// some hundreds of milliseconds to notice its deadline and return.
func ForWriteTimeout(wt time.Duration) Budget {
	margin := min(max(wt/5, MinMargin), 2*time.Second)
	return Budget{Limit: max(wt-margin, wt/2)}
}

// ForLambda is the budget of a Lambda function: its invocation's deadline minus margin (at
// least MinMargin), so the function answers before the runtime kills it.
func ForLambda(margin time.Duration) Budget { return Budget{Margin: max(margin, MinMargin)} }

// Deadline returns the deadline b gives a request that starts at now under parent, and whether
// there is one.
func (b Budget) Deadline(parent context.Context, now time.Time) (time.Time, bool) {
	var d time.Time
	if b.Limit > 0 {
		d = now.Add(b.Limit)
	}
	if inherited, ok := parent.Deadline(); ok {
		inherited = inherited.Add(-b.Margin)
		if d.IsZero() || inherited.Before(d) {
			d = inherited
		}
	}
	return d, !d.IsZero()
}

// Wrap runs h under b's deadline.
func (b Budget) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := b.Deadline(r.Context(), time.Now())
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithDeadline(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
