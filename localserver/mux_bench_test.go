package localserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/credentials"
	"keyport/shared/handlerbench"
	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/store/memstore"
)

// BenchmarkMuxK5 serves K5 requests through the local server's whole handler (dispatch,
// request log, audit event, budget, body budget, the operation) in this process, on the memory
// store and an ephemeral key, with no network and no fsync: the user-space CPU the server
// spends per request besides net/http and the disk. The log and the trail are discarded after
// being encoded.
func BenchmarkMuxK5(b *testing.B) {
	cache, err := seal.ParseCache("") // the server's default data-key cache
	if err != nil {
		b.Fatal(err)
	}
	svc := quietServices(memstore.New(), seal.New(localkey.Ephemeral()).WithCache(cache), credentials.Dev())
	svc.keyLimit = 1 << 40
	mux := newMux(svc)
	k5 := func(method, path string, body []byte) *http.Request {
		r := httptest.NewRequest(method, "http://127.0.0.1/v1/"+credentials.DevK5Tenant+path, bytes.NewReader(body))
		r.Header.Set("X-Auth-Token", credentials.DevK5Token)
		r.Header.Set("Accept", "application/json")
		if body != nil {
			r.Header.Set("Content-Type", "application/json")
		}
		return r
	}
	create := []byte(`{"name":"bench","payload":"c2VjcmV0","payload_content_type":"application/octet-stream","payload_content_encoding":"base64","secret_type":"opaque"}`)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, k5(http.MethodPost, "/secrets", create))
	var created struct {
		SecretRef string `json:"secret_ref"`
	}
	if w.Code != http.StatusCreated || json.Unmarshal(w.Body.Bytes(), &created) != nil {
		b.Fatalf("create: %d %s", w.Code, w.Body)
	}
	id := created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]
	for _, c := range []struct {
		name   string
		status int
		req    func() *http.Request
	}{
		{"create", http.StatusCreated, func() *http.Request { return k5(http.MethodPost, "/secrets", create) }},
		{"get-secret", http.StatusOK, func() *http.Request { return k5(http.MethodGet, "/secrets/"+id, nil) }},
		{"get-payload", http.StatusOK, func() *http.Request {
			r := k5(http.MethodGet, "/secrets/"+id+"/payload", nil)
			r.Header.Set("Accept", "application/octet-stream")
			return r
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			reqs := make([]*http.Request, b.N)
			for i := range reqs {
				reqs[i] = c.req()
			}
			handlerbench.Measure(b, func() {
				for _, r := range reqs {
					w := httptest.NewRecorder()
					mux.ServeHTTP(w, r)
					if w.Code != c.status {
						b.Fatalf("%d %s", w.Code, w.Body)
					}
				}
			})
		})
	}
}
