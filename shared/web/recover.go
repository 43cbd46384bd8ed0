package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
)

// Recover runs h and answers a panic in it as a server fault rendered by write (the dialect's
// envelope: a 500, or Tencent's InternalError), so the client gets a complete answer in its
// vendor's form instead of a dropped connection. The cause, a *Panic with the stack, goes to
// the request's log line (one JSON line: see Logged) and the audit event records the 500.
// http.ErrAbortHandler, net/http's deliberate abort, is passed on.
func Recover(write func(http.ResponseWriter, *http.Request, error), h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			write(w, r, &Panic{Value: fmt.Sprint(v), Stack: string(debug.Stack())})
		}()
		h.ServeHTTP(w, r)
	})
}

// Panic is the cause of a request whose handler panicked. Its Error is the panic value only;
// the stack is logged in a field of its own. Neither is ever rendered to the client (a server
// fault's envelope never shows its cause).
type Panic struct {
	Value string
	Stack string
}

func (p *Panic) Error() string { return "panic: " + p.Value }
