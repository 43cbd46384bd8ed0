//go:build invoke

package invoke

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// runtimeAPI is the part of the Lambda Runtime API (2018-06-01) a cold start meets, in-test,
// for what the emulator does not show (coldstart_test.go): invocation/next is counted and
// hands out nothing, init/error is recorded.
type runtimeAPI struct {
	srv     *httptest.Server
	closing chan struct{}

	mu       sync.Mutex
	nexts    int
	initErrs []string // error types posted to init/error
}

// outcome is how the function completed an invocation.
type outcome struct {
	body      []byte
	errorType string // set when the function posted to /error
	at        time.Time
}

func newRuntimeAPI() *runtimeAPI {
	api := &runtimeAPI{closing: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		api.mu.Lock()
		api.nexts++
		api.mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-api.closing:
			w.WriteHeader(http.StatusGone)
		}
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		api.mu.Lock()
		api.initErrs = append(api.initErrs, r.Header.Get("Lambda-Runtime-Function-Error-Type"))
		api.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"status":"OK"}`)
	})
	api.srv = httptest.NewServer(mux)
	return api
}

// addr is the value of AWS_LAMBDA_RUNTIME_API (host:port, no scheme).
func (api *runtimeAPI) addr() string { return strings.TrimPrefix(api.srv.URL, "http://") }

// close releases a blocked next and stops the server; the function process must be gone.
func (api *runtimeAPI) close() {
	close(api.closing)
	api.srv.Close()
}

// stats returns how often next was called and the init errors posted.
func (api *runtimeAPI) stats() (nexts int, initErrs []string) {
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.nexts, append([]string(nil), api.initErrs...)
}
