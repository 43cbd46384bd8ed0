package createsecret

import (
	"slices"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/fault"
)

// FuzzDecodeCreateSecret: decoding and validating any body never panics, refuses only with
// client faults, and what it accepts obeys every rule.
func FuzzDecodeCreateSecret(f *testing.F) {
	for _, s := range []string{
		with(),
		with("bit_length", 256, "expiration", "2031-01-01T00:00:00", "algorithm", "aes", "mode", "cbc"),
		with("payload", "aGk"), with("bit_length", 256.5), with("name", nil),
		`{"name":5,"payload":"%%%","secret_type":"key","bit_length":"x"}`,
		``, `null`, `[]`, `{`, `{"payload":"\u0000"}`, `{"bit_length":-0}`, `{"bit_length":1e400}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decode(body, fixedNow)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("refused with a server fault: %v", err)
			}
			// Every fault in the error is a client fault, so the envelope never renders a 500.
			for _, e := range flatten(err) {
				if !fault.IsClient(e) {
					t.Fatalf("joined error holds a server fault: %v", e)
				}
			}
			return
		}
		if req.Name == "" || req.PayloadContentType == "" || len(req.plaintext) == 0 {
			t.Fatalf("accepted a request missing a required field: %+v", req)
		}
		if req.BitLength < 0 || req.BitLength > maxBitLength {
			t.Fatalf("accepted bit_length %d", req.BitLength)
		}
		if !req.Expiration.IsZero() && !req.Expiration.After(fixedNow) {
			t.Fatalf("accepted expiration %v", req.Expiration)
		}
		if !slices.Contains(secretTypes, req.SecretType) || len(req.Name) > 4*maxString {
			t.Fatalf("accepted secret_type %q, name of %d bytes", req.SecretType, len(req.Name))
		}
		_ = secretRecord(gcore.Scope{Project: 1, Region: 1}, "id", req, fixedNow)
	})
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
