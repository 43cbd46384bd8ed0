package lambdaapp

import (
	"context"
	"strings"
)

// traceHeaderKey is the context key under which aws-lambda-go puts the invocation's X-Ray trace
// header (Lambda-Runtime-Trace-Id, also in _X_AMZN_TRACE_ID): a bare string, its choice.
const traceHeaderKey = "x-amzn-trace-id"

// invocationTraceID is the trace id of the invocation ctx belongs to, or "" when it has none.
func invocationTraceID(ctx context.Context) string {
	header, _ := ctx.Value(traceHeaderKey).(string)
	return traceRoot(header)
}

// traceRoot returns the Root field of an X-Ray trace header
// ("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"): the trace id
// the X-Ray console and CloudWatch search by. It returns "" unless the Root is a well-formed
// trace id (version 1, 8 hex digits of epoch seconds, 24 hex digits), so nothing else reaches
// the log line or the audit event, whatever the header held.
func traceRoot(header string) string {
	for field := range strings.SplitSeq(header, ";") {
		key, value, _ := strings.Cut(strings.TrimSpace(field), "=")
		if key == "Root" && wellFormedTraceID(value) {
			return value
		}
	}
	return ""
}

// wellFormedTraceID reports whether id is "1-" + 8 lower-case hex digits + "-" + 24.
func wellFormedTraceID(id string) bool {
	if len(id) != 35 || id[:2] != "1-" || id[10] != '-' {
		return false
	}
	for i, c := range id {
		if i < 2 || i == 10 {
			continue
		}
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
