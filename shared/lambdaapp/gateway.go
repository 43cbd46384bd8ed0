package lambdaapp

import (
	"context"
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"keyport/shared/web"
)

// Start serves h as this process's Lambda handler for API Gateway HTTP API (payload 2.0)
// events. It returns only if the runtime loop ends, which the runtime treats as a crash.
func Start(h http.Handler) {
	lambda.Start(Proxy(h))
}

// Proxy adapts h to a payload 2.0 Lambda handler: aws-lambda-go-api-proxy's
// HandlerAdapterV2.ProxyWithContext (the variant that carries the invocation deadline into
// r.Context()), with the request corrected to be the one the client signed:
//
//   - Path: HTTP APIs deliver rawPath percent-decoded. Pasted into a URL as is, a decoded '?',
//     '#' or '%' would change or break the URL (a client mistake turned into a 5xx), so the
//     path is escaped again first; r.URL.Path is then the path the client meant and
//     r.URL.EscapedPath() its canonical encoding, which is what ACS3 signs for the paths the
//     SDKs send.
//   - Host: the adapter sets r.Host to requestContext.domainName. The client signed its Host
//     header (with the port, if any), which is what r.Host becomes when the event has one; it
//     differs from domainName under `sam local start-api` (domainName "localhost").
//   - Headers: the adapter splits every non-singleton header on commas and trims the parts, so
//     a signed value such as "a, b" would reach the verifier as "a,b". Each header is restored
//     to the single value API Gateway delivered (repeated headers arrive already joined with
//     ","), as a net/http server would have seen it.
//
// The invocation's X-Ray trace id (its trace header's Root) goes into r.Context() for the
// request's log line and audit event (web.WithTraceID).
//
// The stage is not stripped: the stack serves each API on its $default stage, where rawPath is
// exactly the path the client sent (a named stage would prefix it, api-proxy issue 130, and the
// vendor SDKs could not reach such an API unchanged anyway).
func Proxy(h http.Handler) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	adapter := httpadapter.NewV2(asSent(h))
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if ev.RawPath == "" {
			ev.RawPath = ev.RequestContext.HTTP.Path
		}
		ev.RawPath = (&url.URL{Path: ev.RawPath}).EscapedPath()
		ctx = web.WithTraceID(context.WithValue(ctx, sentKey{}, ev.Headers), invocationTraceID(ctx))
		return adapter.ProxyWithContext(ctx, ev)
	}
}

// sentKey carries the event's headers, as API Gateway delivered them, from Proxy to asSent.
type sentKey struct{}

// asSent restores Host and the header values from the event before h runs, and afterwards
// gives a response h left empty net/http's implicit 200 (the adapter would otherwise fail the
// invocation with "Status code not set", which API Gateway turns into a 500).
func asSent(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if headers, ok := r.Context().Value(sentKey{}).(map[string]string); ok {
			restoreHeaders(r, headers)
		}
		tw := &touched{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		if !tw.wrote {
			w.WriteHeader(http.StatusOK)
		}
	})
}

// touched notes whether a handler wrote a status or body.
type touched struct {
	http.ResponseWriter
	wrote bool
}

func (t *touched) WriteHeader(code int) { t.wrote = true; t.ResponseWriter.WriteHeader(code) }

func (t *touched) Write(b []byte) (int, error) { t.wrote = true; return t.ResponseWriter.Write(b) }

// restoreHeaders sets each header of r to its one delivered value and r.Host to the Host
// header. Like a net/http server, it keeps Host out of r.Header. Cookies, which payload 2.0
// delivers apart from the headers, are left as the adapter set them.
func restoreHeaders(r *http.Request, headers map[string]string) {
	for name, value := range headers {
		key := textproto.CanonicalMIMEHeaderKey(name)
		if key == "Host" {
			if value != "" {
				r.Host = value
			}
			continue
		}
		r.Header[key] = []string{value}
	}
	r.Header.Del("Host")
}
