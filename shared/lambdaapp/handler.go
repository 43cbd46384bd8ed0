package lambdaapp

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"keyport/shared/web"
)

// refreshTimeout bounds a credentials reload, so a slow Secrets Manager delays a request by at
// most this much instead of eating its whole deadline; on timeout the old book is kept.
const refreshTimeout = 2 * time.Second

// answerMargin is kept back from the invocation's deadline: a backend call that stalls ends
// this long before Lambda would kill the function, leaving time to render and return the
// vendor's envelope (a killed invocation reaches the client as API Gateway's bare 503).
const answerMargin = time.Second

// Handler wraps an operation's handler for Lambda: each request runs under the invocation's
// deadline minus answerMargin (every backend call, the credentials refresh included, takes its
// deadline from it), first refreshes the credentials book if its TTL has passed, then runs h;
// web.Logged around it all gives the request its id, its one log line and its one audit
// event. op names the operation in both.
func (a *App) Handler(op string, h http.Handler) http.Handler {
	return web.Logged(a.Logger, a.Audit, op, web.ForLambda(answerMargin).Wrap(a.refreshing(h)))
}

// refreshing reloads the credentials before h runs. A failed reload is logged (with the
// request id, never the document) and the previous credentials stay in force: an outage of
// Secrets Manager must not lock every caller out of a warm function.
func (a *App) refreshing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), refreshTimeout)
		err := a.refresher.Refresh(ctx)
		cancel()
		if err != nil {
			a.Logger.LogAttrs(r.Context(), slog.LevelWarn, "credentials refresh failed, keeping the previous credentials",
				slog.String("request_id", web.RequestID(r.Context())), slog.String("error", err.Error()))
		}
		h.ServeHTTP(w, r)
	})
}
