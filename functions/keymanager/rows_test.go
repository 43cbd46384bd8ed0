package keymanager_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"keyport/events"
	"keyport/functions/keymanager"
	kmapi "keyport/shared/api/keymanager"
)

// TestExamplesAreTheEvents: each row's Example is the request of its function's event under
// events/ (what `make events` writes from it): path, query, the client's headers (API Gateway's
// own left out) and body.
func TestExamplesAreTheEvents(t *testing.T) {
	for _, l := range []kmapi.Layout{kmapi.K5, kmapi.Upstream} {
		for _, row := range keymanager.Rows(l) {
			t.Run(row.Function, func(t *testing.T) {
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
				x := row.Example
				if x == nil {
					t.Fatal("no Example")
				}
				if x.Path != ev.RawPath || x.Query != ev.RawQueryString || x.Body != ev.Body || !maps.Equal(x.Header, ev.Headers) {
					t.Errorf("Example %+v\nevent   {Path:%s Query:%s Header:%v Body:%s}", *x, ev.RawPath, ev.RawQueryString, ev.Headers, ev.Body)
				}
			})
		}
	}
}
