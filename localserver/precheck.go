package localserver

import (
	"net/http"

	"keyport/shared/api/alibaba"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/operation"
)

// maxHeaderBytes bounds a request's path, query and headers together, checked before its
// operation runs, so that an oversized request is refused in its vendor's envelope. The SDKs
// send one or two KiB; API gateways in front of the vendors' APIs refuse far less than this.
// Past the server's http.Server.MaxHeaderBytes (Go's default, 1 MiB, kept so that each
// connection's headers stay bounded in memory) net/http itself answers 431 in plain text before
// any dialect can be recognised.
const maxHeaderBytes = 64 << 10

// prechecks are each dialect's checks that need no body, run before the operation's handler
// might read one. They refuse only what the handler would refuse anyway, with the same fault;
// the handler runs every check again. Tencent's router runs its own before reading (on Lambda
// too), and the Gcore and K5 handlers authenticate before they read, so only Alibaba's handler,
// which needs the body for its signature, is given one here.
var prechecks = map[operation.Dialect]func(*credentials.Book, *http.Request) error{
	operation.Alibaba: alibaba.Precheck,
}

// prechecked runs the header bound and the dialect's precheck before h, answering a refusal
// in the dialect's envelope.
func prechecked(dialect operation.Dialect, creds *credentials.Book, h http.Handler) http.Handler {
	check := prechecks[dialect]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := checkHeaderSize(r)
		if err == nil && check != nil {
			err = check(creds, r)
		}
		if err != nil {
			operation.WriteError(dialect, w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// checkHeaderSize refuses a request whose path, query and headers add up to more than
// maxHeaderBytes.
func checkHeaderSize(r *http.Request) error {
	n := len(r.URL.Path) + len(r.URL.RawQuery) + len(r.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4 // ": " and CRLF
		}
	}
	if n > maxHeaderBytes {
		return fault.Newf(fault.TooLarge, "", "The request line and headers are over %d bytes.", maxHeaderBytes)
	}
	return nil
}
