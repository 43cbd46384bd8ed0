package listsecrets_test

import (
	"net/http"
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

// BenchmarkList100 lists a page of 100 secrets out of 100 through the handler on the real
// local store, over loopback.
func BenchmarkList100(b *testing.B) {
	e := kmt.New(b)
	for range 100 {
		e.Create(b, kmt.Project, `{"name":"bench","algorithm":"aes","bit_length":256}`)
	}
	path := kmt.Path(false, kmt.Project, "", "") + "?limit=100"
	b.ResetTimer()
	for range b.N {
		if resp := e.Do(b, http.MethodGet, path, "", "X-Auth-Token", kmt.Token); resp.Status != 200 {
			b.Fatal(resp.Status)
		}
	}
}
