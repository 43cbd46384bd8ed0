//go:build invoke

package invoke

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/functions"
	"keyport/shared/operation"
)

// gateway is API Gateway in front of the built functions, for clients that speak HTTP: a
// request is routed as the stack routes it (each function's routes; Tencent's POST / by its
// X-TC-Action, since each Tencent service is its own API), delivered to that function's
// emulator as a payload 2.0 event, and the function's response is
// written back. It serves the Gcore, Tencent and Alibaba functions, whose routes do not
// overlap; the key manager's two layouts would need the local server's dialect detection.
type gateway struct {
	srv     *httptest.Server
	mu      sync.Mutex // one event at a time: each emulator serves one
	running map[string]*emulated
	tencent map[string]string // X-TC-Action -> function
}

// gatewayDialects are the dialects the gateway serves.
var gatewayDialects = []operation.Dialect{operation.Gcore, operation.Tencent, operation.Alibaba}

// newGateway starts every function of the served dialects (in the test's goroutine, so a
// failed start fails t) and serves them on a loopback address until t ends.
func newGateway(t *testing.T, h *harness) *gateway {
	t.Helper()
	g := &gateway{running: map[string]*emulated{}, tencent: map[string]string{}}
	mux := http.NewServeMux()
	for _, f := range functions.Functions() {
		if !containsDialect(f.Dialect) {
			continue
		}
		g.running[f.Name] = h.start(t, f.Name, nil)
		if f.Dialect == operation.Tencent {
			for _, op := range f.Operations {
				g.tencent[op.Action] = f.Name
			}
			continue
		}
		for _, route := range f.Routes() {
			mux.Handle(route, g.function(f.Name, route))
		}
	}
	mux.Handle("POST /{$}", http.HandlerFunc(g.serveTencent))
	g.srv = httptest.NewServer(mux)
	t.Cleanup(g.srv.Close)
	return g
}

// host is the gateway's host:port.
func (g *gateway) host() string { return strings.TrimPrefix(g.srv.URL, "http://") }

func containsDialect(d operation.Dialect) bool {
	for _, x := range gatewayDialects {
		if x == d {
			return true
		}
	}
	return false
}

// serveTencent hands POST / to the function of the action's service. An unknown action goes
// to the first Tencent function, whose router answers InvalidAction.
func (g *gateway) serveTencent(w http.ResponseWriter, r *http.Request) {
	name, ok := g.tencent[r.Header.Get("X-TC-Action")]
	if !ok {
		name = "tencent-apigateway"
	}
	g.function(name, "POST /").ServeHTTP(w, r)
}

// function delivers r to function name as the event of route.
func (g *gateway) function(name, route string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, err := toEvent(r, route)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		run := g.running[name]
		ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second) // a hang guard
		defer cancel()
		out, err := run.invoke(ctx, event)
		if err != nil || out.errorType != "" {
			http.Error(w, fmt.Sprintf("%s: %v %s %s", name, err, out.errorType, out.body), http.StatusBadGateway)
			return
		}
		var resp awsevents.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(out.body, &resp); err != nil {
			http.Error(w, "not a payload 2.0 response: "+string(out.body), http.StatusBadGateway)
			return
		}
		writeResponse(w, resp)
	})
}

// toEvent is what API Gateway delivers for r matched by route: headers lower-cased with
// repeats comma-joined, the path decoded, query and path parameters, a body base64-encoded
// unless it is text.
func toEvent(r *http.Request, route string) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	headers := map[string]string{"host": r.Host}
	for k, vs := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	now := time.Now()
	ev := awsevents.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: route, RawPath: r.URL.Path, RawQueryString: r.URL.RawQuery,
		Headers: headers, QueryStringParameters: queryParameters(r), PathParameters: pathValues(r, route),
		RequestContext: awsevents.APIGatewayV2HTTPRequestContext{
			RouteKey: route, AccountID: "123456789012", Stage: "$default", RequestID: hex.EncodeToString(id[:]),
			DomainName: r.Host, APIID: "gateway", Time: now.Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: now.UnixMilli(),
			HTTP: awsevents.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.URL.Path,
				Protocol: "HTTP/1.1", SourceIP: "127.0.0.1", UserAgent: r.UserAgent()},
		},
	}
	if utf8.Valid(body) {
		ev.Body = string(body)
	} else {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	return json.Marshal(ev)
}

func queryParameters(r *http.Request) map[string]string {
	if r.URL.RawQuery == "" {
		return nil
	}
	out := map[string]string{}
	for k, vs := range r.URL.Query() {
		out[k] = strings.Join(vs, ",")
	}
	return out
}

// pathValues are the route's wildcards as ServeMux matched them.
func pathValues(r *http.Request, route string) map[string]string {
	var out map[string]string
	for _, seg := range strings.Split(route, "/") {
		name, ok := strings.CutPrefix(seg, "{")
		if !ok || seg == "{$}" {
			continue
		}
		name = strings.TrimSuffix(strings.TrimSuffix(name, "}"), "...")
		if out == nil {
			out = map[string]string{}
		}
		out[name] = r.PathValue(name)
	}
	return out
}

// writeResponse writes a payload 2.0 response as API Gateway does.
func writeResponse(w http.ResponseWriter, resp awsevents.APIGatewayV2HTTPResponse) {
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if b, err := base64.StdEncoding.DecodeString(resp.Body); err == nil {
			body = b
		}
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}
