package lambdaapp

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"keyport/shared/audit"
)

// TestHandlerAuditsThroughTheGateway replays a payload 2.0 event through Proxy and App.Handler,
// as a function serves it, and checks the one audit event: the source is the event's
// requestContext.http.sourceIp (what the adapter puts in RemoteAddr), not a client header.
func TestHandlerAuditsThroughTheGateway(t *testing.T) {
	var logs, trail bytes.Buffer
	app := testApp(t, &logs, &trail)
	h := app.Handler("k5.CreateSecret", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		audit.SetBearer(r.Context(), app.Creds.AuditKey(), r.Header.Get("X-Auth-Token"), "tenant-1")
		audit.SetResource(r.Context(), "secret-1")
		w.WriteHeader(http.StatusCreated)
	}))
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: "/v1/tenant-1/secrets",
		Headers: map[string]string{"host": "h.example", "x-auth-token": "bearer-s3cr3t", "x-forwarded-for": "10.0.0.1"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{DomainName: "h.example",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/v1/tenant-1/secrets", SourceIP: "198.51.100.23"}},
	}
	resp, err := Proxy(h)(context.Background(), ev)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("got %d, %v; want 201", resp.StatusCode, err)
	}
	lines := strings.Split(strings.TrimSpace(trail.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d audit lines, want 1: %s", len(lines), trail.String())
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"log_type": "audit", "dialect": "k5", "operation": "k5.CreateSecret", "source": "198.51.100.23",
		"principal": audit.BearerPrincipal(app.Creds.AuditKey(), "bearer-s3cr3t"), "account": "tenant-1",
		"resource": "secret-1", "outcome": "Created", "status": float64(201)}
	for k, v := range want {
		if e[k] != v {
			t.Errorf("%s: got %v, want %v", k, e[k], v)
		}
	}
	if strings.Contains(trail.String()+logs.String(), "bearer-s3cr3t") {
		t.Errorf("the token appears in the logs or the audit trail")
	}
}
