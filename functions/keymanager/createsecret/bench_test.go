package createsecret

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/api/keymanager"
	"keyport/shared/handlerbench"
)

// BenchmarkCreate is one octet-stream create through the whole handler: token lookup, decode,
// validation, a local-key seal and a bbolt write.
func BenchmarkCreate(b *testing.B) {
	const body = `{"name":"bench","payload":"c2VjcmV0LXZhbHVl","payload_content_type":"application/octet-stream",` +
		`"payload_content_encoding":"base64","secret_type":"opaque","expiration":"2099-01-01T00:00:00"}`
	handlerbench.Run(b,
		func(b *testing.B) http.Handler { return newEnv(b, nil).mux },
		func(b *testing.B, i int) *http.Request {
			r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			r.Header.Set("X-Auth-Token", devToken)
			r.Header.Set("Content-Type", "application/json")
			return r
		},
		func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusCreated })
}

// BenchmarkDecode is the CPU-only part: JSON, schema and rules for a PEM text payload.
func BenchmarkDecode(b *testing.B) {
	body := []byte(`{"name":"cert","payload":` + quote(pemKey) + `,"payload_content_type":"text/plain","expiration":"2099-01-01T00:00:00"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(body, fixedNow, keymanager.K5); err != nil {
			b.Fatal(err)
		}
	}
}
