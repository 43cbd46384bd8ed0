//go:build invoke

package invoke

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// TestTraceIDReachesLogAndAudit invokes a built function with an X-Ray trace header, as Lambda
// hands one to every invocation of a traced function, and checks that the request's log line
// and audit event carry its Root. It runs against the in-test Runtime API: the emulator never
// hands the function a trace header.
func TestTraceIDReachesLogAndAudit(t *testing.T) {
	h := newHarness(t, devDocument(t))
	for _, name := range []string{"gcore-createsecret", "tencent-apigateway"} {
		t.Run(name, func(t *testing.T) {
			fn := h.function(t, name)
			p, api := h.startRuntimeAPI(t, name, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang guard
			defer cancel()
			out, err := api.invoke(ctx, signedEvent(t, name), time.Duration(fn.props.Timeout)*time.Second, p.exited)
			if err != nil || out.errorType != "" {
				t.Fatalf("invoke %s: %v %s %s", name, err, out.errorType, out.body)
			}
			var resp awsevents.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(out.body, &resp); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("got %s (%v), want a 200 API Gateway response", out.body, err)
			}
			p.stop() // so its output is complete
			checkLog(t, p.out.String(), lookup(t, name), 1, traceID)
		})
	}
}
