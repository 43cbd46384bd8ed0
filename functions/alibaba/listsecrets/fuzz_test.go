package listsecrets

import (
	"net/url"
	"testing"

	"keyport/shared/fault"
)

// FuzzParseQuery: any query string parses without panicking, fails only with client faults
// naming a parameter, and what it accepts is in range.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "gatewayType=API&nameLike=a&pageNumber=2&pageSize=100", "pageSize=0", "pageNumber=2147483648",
		"pageSize=1&pageSize=2", "nameLike=%FF", "gatewayType=AI", "pageNumber=+1", "pageNumber=-0", "%zz", "a=b;c=d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return // the server's query parsing drops such pairs before the handler sees them
		}
		q, err := parse(v)
		if err != nil {
			if f := fault.As(err); !fault.IsClient(err) || f.Field == "" {
				t.Fatalf("got %v, want a client fault naming a parameter", err)
			}
			return
		}
		if q.page.Number < 1 || q.page.Size < 1 || q.page.Size > 100 || (q.gatewayType != "" && q.gatewayType != "API" && q.gatewayType != "AI") {
			t.Fatalf("accepted %+v", q)
		}
		if lo, hi := q.page.Bounds(250); lo < 0 || hi < lo || hi > 250 {
			t.Fatalf("got bounds %d..%d of 250 for %+v", lo, hi, q.page)
		}
	})
}
