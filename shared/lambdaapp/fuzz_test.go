package lambdaapp

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// FuzzProxy feeds decoded raw paths (as HTTP APIs deliver them) and raw query strings through
// Proxy: whatever the client put in its path, the handler must be reached (no adapter error,
// which would be a 5xx) and see exactly the decoded path.
func FuzzProxy(f *testing.F) {
	for _, seed := range [][2]string{
		{"/v1/secrets", ""}, {"/v1/a b?c#d", "nameLike=x+y"}, {"/%zz/%", "a=%zz"}, {"", ""},
		{"relative", "x"}, {"/\x00\x7f\xff", ""}, {"//double//slash", "k=1&k=2"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, rawPath, rawQuery string) {
		if strings.ContainsAny(rawQuery, "# \x7f") || strings.ContainsFunc(rawQuery, func(r rune) bool { return r < ' ' }) {
			t.Skip("a client cannot send these in a query string")
		}
		var gotPath string
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gotPath = r.URL.Path })
		ev := events.APIGatewayV2HTTPRequest{RawPath: rawPath, RawQueryString: rawQuery,
			Headers: map[string]string{"host": "h.example"},
			RequestContext: events.APIGatewayV2HTTPRequestContext{DomainName: "h.example",
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: rawPath}}}
		resp, err := Proxy(h)(context.Background(), ev)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("got %d, %v for path %q query %q; want the handler reached", resp.StatusCode, err, rawPath, rawQuery)
		}
		want := rawPath
		if !strings.HasPrefix(want, "/") {
			want = "/" + want
		}
		if gotPath != want {
			t.Fatalf("got path %q, want %q", gotPath, want)
		}
	})
}
