//go:build invoke

package invoke

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runtimeAPI is an in-test implementation of the Lambda Runtime API (2018-06-01) for one
// function process: invocation/next hands out queued events, invocation/{id}/response and
// /error complete them, and init/error records a failed cold start. The harness runs functions
// under the Runtime Interface Emulator; this serves only what the emulator does not do
// (coldstart_test.go, trace_test.go).
type runtimeAPI struct {
	srv     *httptest.Server
	queue   chan invocation
	closing chan struct{}

	mu       sync.Mutex
	pending  map[string]chan outcome
	nexts    int
	initErrs []string // error types posted to init/error
}

// invocation is one event waiting for the function.
type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
}

// outcome is how the function completed an invocation.
type outcome struct {
	body      []byte
	errorType string // set when the function posted to /error
	at        time.Time
}

// functionARN is what Lambda sends in Lambda-Runtime-Invoked-Function-Arn.
const functionARN = "arn:aws:lambda:us-east-1:123456789012:function:"

func newRuntimeAPI(function string) *runtimeAPI {
	api := &runtimeAPI{queue: make(chan invocation, 8), closing: make(chan struct{}), pending: map[string]chan outcome{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		api.next(w, r, function)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		api.complete(w, r, "")
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		api.complete(w, r, r.Header.Get("Lambda-Runtime-Function-Error-Type")+" ")
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

// next blocks until an event is queued, then hands it out with the headers Lambda sends.
func (api *runtimeAPI) next(w http.ResponseWriter, r *http.Request, function string) {
	api.mu.Lock()
	api.nexts++
	api.mu.Unlock()
	select {
	case inv := <-api.queue:
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", functionARN+function)
		h.Set("Lambda-Runtime-Trace-Id", traceHeader)
		h.Set("Content-Type", "application/json")
		w.Write(inv.payload)
	case <-r.Context().Done():
	case <-api.closing:
		w.WriteHeader(http.StatusGone)
	}
}

// complete delivers a response or error posted by the function.
func (api *runtimeAPI) complete(w http.ResponseWriter, r *http.Request, errorType string) {
	body, _ := io.ReadAll(r.Body)
	api.mu.Lock()
	ch, ok := api.pending[r.PathValue("id")]
	delete(api.pending, r.PathValue("id"))
	api.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"errorMessage":"unknown or completed request id","errorType":"InvalidRequestID"}`)
		return
	}
	ch <- outcome{body: body, errorType: strings.TrimSuffix(errorType, " "), at: time.Now()}
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

// errExited is returned by invoke when the function process ends before answering.
var errExited = errors.New("the function process exited before answering")

// invoke queues payload with the function's timeout as deadline and waits for the outcome,
// the process's exit (exited is closed), or ctx.
func (api *runtimeAPI) invoke(ctx context.Context, payload []byte, timeout time.Duration, exited <-chan struct{}) (outcome, error) {
	var b [16]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	ch := make(chan outcome, 1)
	api.mu.Lock()
	api.pending[id] = ch
	api.mu.Unlock()
	api.queue <- invocation{id: id, payload: payload, deadline: time.Now().Add(timeout)}
	select {
	case out := <-ch:
		return out, nil
	case <-exited:
		return outcome{}, errExited
	case <-ctx.Done():
		return outcome{}, ctx.Err()
	}
}

// stats returns how often next was called and the init errors posted.
func (api *runtimeAPI) stats() (nexts int, initErrs []string) {
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.nexts, append([]string(nil), api.initErrs...)
}
