package createsecretv2

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"keyport/shared/fault"
)

// FuzzDecode: decoding and validating any body never panics, refuses only with client faults,
// and what it accepts is a named certificate bundle.
func FuzzDecode(f *testing.F) {
	p := newPKI(f, ecKey(f), sec1)
	now := time.Now()
	for _, s := range []string{
		p.body(), p.body("expiration", "2999-01-01T00:00:00.5"), p.body("private_key", p.chain),
		p.body("certificate_chain", p.cert+"x"), p.body("payload", 1), `{"payload":{}}`,
		``, `null`, `[]`, `{`, `{"payload":{"certificate":"-----BEGIN CERTIFICATE-----\n"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decode(body, now)
		if err != nil {
			for _, e := range flatten(err) {
				if !fault.IsClient(e) {
					t.Fatalf("refused with a server fault: %v", e)
				}
			}
			return
		}
		if req.Name == "" || !bytes.Contains(req.bundle, []byte("-----BEGIN CERTIFICATE-----")) {
			t.Fatalf("accepted %+v", req)
		}
	})
}

func flatten(err error) []error {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
