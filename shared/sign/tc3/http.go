package tc3

import (
	"net/http"
	"strings"
)

// FromHTTP describes an *http.Request (server- or client-side) for CanonicalRequest. payload is
// the body, already read. "host" is r.Host, or r.URL.Host on a client request that has not set
// Host; a header sent more than once is joined with ",".
func FromHTTP(r *http.Request, payload []byte) Request {
	return Request{
		Method:  r.Method,
		Query:   r.URL.RawQuery,
		Payload: payload,
		Header: func(name string) string {
			if name == "host" {
				if r.Host != "" {
					return r.Host
				}
				return r.URL.Host
			}
			return strings.Join(r.Header.Values(name), ",")
		},
	}
}
