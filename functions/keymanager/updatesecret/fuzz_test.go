package updatesecret

import (
	"testing"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
)

// FuzzParse: any Content-Type the skeleton lets through, any Content-Encoding and body give a
// client fault or a payload whose type is one of the two Barbican stores, within the layout's
// limit.
func FuzzParse(f *testing.F) {
	f.Add("application/octet-stream", "base64", []byte("aGk="), false)
	f.Add("text/plain; charset=utf-8", "", []byte("-----BEGIN X-----\nQUJD\n-----END X-----"), true)
	f.Add("application/json", "", []byte("{}"), true)
	f.Add("text/plain;;", "gzip", []byte{0xff}, false)
	f.Add("application/octet-stream", "BAse64", []byte("\n"), false)
	f.Fuzz(func(t *testing.T, contentType, encoding string, body []byte, k5 bool) {
		l := keymanager.Upstream
		if k5 {
			l = keymanager.K5
		}
		rules := rulesOf(l)
		media := kmsecret.MediaType(contentType)
		if media != kmsecret.TextPlain && media != kmsecret.OctetStream {
			return // the skeleton's 415
		}
		p, err := parse(body, media, encoding, rules)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("parse: got internal error %v", err)
			}
			return
		}
		if p.contentType != "text/plain" && p.contentType != "application/octet-stream" || len(p.plaintext) == 0 || len(body) > rules.maxSecret {
			t.Fatalf("parse(%q, %q, %d bytes) = %q with %d bytes", media, encoding, len(body), p.contentType, len(p.plaintext))
		}
	})
}
