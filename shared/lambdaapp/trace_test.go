package lambdaapp

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestTraceIDInLogAndAudit serves one event through Proxy and App.Handler under each trace
// header Lambda might hand the function (aws-lambda-go puts it in the invocation's context) and
// checks that the request's log line and its audit event both carry the header's Root, and
// carry nothing when the header is absent or its Root is not a trace id: never the client's own
// X-Amzn-Trace-Id header, which the event carries too.
func TestTraceIDInLogAndAudit(t *testing.T) {
	const root = "1-5759e988-bd862e3fe1be46a994272793"
	tests := []struct {
		name   string
		header any // the context value; nil sets none
		want   string
	}{
		{"sampled", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1", root},
		{"root last, spaces", "Sampled=0; Parent=53995c3f42cd8ad8; Root=" + root, root},
		{"with lineage", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1|68fd508a:5", root},
		{"no header", nil, ""},
		{"empty header", "", ""},
		{"no root", "Parent=53995c3f42cd8ad8;Sampled=1", ""},
		{"root not hex", "Root=1-5759e988-bd862e3fe1be46a99427279z", ""},
		{"root upper case", "Root=1-5759E988-BD862E3FE1BE46A994272793", ""},
		{"root too long", "Root=" + root + "0", ""},
		{"root another version", "Root=2-5759e988-bd862e3fe1be46a994272793", ""},
		{"root with a quote", `Root=1-5759e988-bd862e3fe1be46a9942727"}`, ""},
		{"not a string", 42, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs, trail bytes.Buffer
			app := testApp(t, &logs, &trail)
			h := app.Handler("gcore.CreateSecret", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
			}))
			ctx := context.Background()
			if tt.header != nil {
				//lint:ignore SA1029 the key is aws-lambda-go's own, a bare string
				ctx = context.WithValue(ctx, traceHeaderKey, tt.header)
			}
			ev := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/v2/secrets",
				Headers: map[string]string{"host": "h.example", "x-amzn-trace-id": "Root=1-00000000-000000000000000000000000"},
				RequestContext: events.APIGatewayV2HTTPRequestContext{DomainName: "h.example",
					HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/v2/secrets", SourceIP: "198.51.100.23"}}}
			if resp, err := Proxy(h)(ctx, ev); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d, %v; want 200", resp.StatusCode, err)
			}
			request := onlyLine(t, logs.String(), func(m map[string]any) bool { return m["msg"] == "request" })
			event := onlyLine(t, trail.String(), func(m map[string]any) bool { return m["log_type"] == "audit" })
			for what, rec := range map[string]map[string]any{"log line": request, "audit event": event} {
				got, present := rec["trace_id"]
				switch {
				case tt.want == "" && present:
					t.Errorf("%s: got trace_id %v, want none", what, got)
				case tt.want != "" && got != tt.want:
					t.Errorf("%s: got trace_id %v, want %s", what, got, tt.want)
				}
			}
		})
	}
}

// onlyLine returns the one JSON line of out that match selects.
func onlyLine(t *testing.T, out string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	var found []map[string]any
	for line := range strings.Lines(out) {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && match(m) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("got %d matching lines, want 1:\n%s", len(found), out)
	}
	return found[0]
}
