package tencent_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"keyport/events"
	"keyport/functions/tencent"
)

// TestExamplesAreTheEvents: the first row of each Tencent function carries an Example that is
// the request of its event (events/<function>.json) as the client sent it, before API Gateway
// added its own headers; the other rows carry none. The event writer rewrites the events from
// the Examples, so the two must not drift.
func TestExamplesAreTheEvents(t *testing.T) {
	seen := map[string]bool{}
	for _, row := range tencent.Rows {
		first := !seen[row.Function]
		seen[row.Function] = true
		if !first {
			if row.Example != nil {
				t.Errorf("%s: got an Example, want one on its function's first row only", row.Name)
			}
			continue
		}
		if row.Example == nil {
			t.Fatalf("%s: got no Example, want the request of events/%s.json", row.Name, row.Function)
		}
		raw, err := events.Load(row.Function)
		if err != nil {
			t.Fatal(err)
		}
		var ev struct {
			RawPath, RawQueryString string
			Headers                 map[string]string
			Body                    string
		}
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		maps.DeleteFunc(ev.Headers, func(name, _ string) bool {
			return name == "host" || name == "content-length" || name == "x-amzn-trace-id" || strings.HasPrefix(name, "x-forwarded-")
		})
		ex := row.Example
		if ex.Path != ev.RawPath || ex.Query != ev.RawQueryString || ex.Body != ev.Body || !maps.Equal(ex.Header, ev.Headers) {
			t.Errorf("%s: got Example %+v, want the event's request %+v", row.Name, *ex, ev)
		}
	}
}
