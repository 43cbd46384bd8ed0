package lambdaapp

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"keyport/shared/api/keymanager"
)

// TestHandlerAnswersBeforeTheInvocationDeadline: through Proxy (which carries the invocation's
// deadline into the request), a handler whose backend call never returns on its own is given
// the deadline minus answerMargin, so it renders its vendor's error in time and the audit
// event says the outcome is unknown.
func TestHandlerAnswersBeforeTheInvocationDeadline(t *testing.T) {
	var logs, trail bytes.Buffer
	app := testApp(t, &logs, &trail)
	var left time.Duration
	h := app.Handler("k5.CreateSecret", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, _ := r.Context().Deadline()
		left = time.Until(d)
		<-r.Context().Done() // a stalled backend call, which returns when its context ends
		keymanager.SecretCreation.WriteError(w, r, r.Context().Err())
	}))
	const invocation = 1500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), invocation)
	defer cancel()
	ev := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/v1/t/secrets",
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/v1/t/secrets"}}}
	start := time.Now()
	resp, err := Proxy(h)(ctx, ev)
	elapsed := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusInternalServerError || !strings.Contains(resp.Body, "Secret creation failure seen") {
		t.Fatalf("got %d %q, %v; want Barbican's 500", resp.StatusCode, resp.Body, err)
	}
	if left > invocation-answerMargin || elapsed >= invocation {
		t.Errorf("handler had %s, answered after %s; want at most %s, and an answer before the %s deadline", left, elapsed, invocation-answerMargin, invocation)
	}
	if !strings.Contains(trail.String(), `"outcome":"unknown"`) {
		t.Errorf("audit: got %s, want outcome unknown", trail.String())
	}
}
