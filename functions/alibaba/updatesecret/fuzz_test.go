package updatesecret

import (
	"testing"
	"unicode/utf8"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/fault"
)

// FuzzDecodeUpdateSecret: decoding any body never panics, fails only with client faults, and
// accepts only a non-empty, bounded, valid UTF-8 secretData.
func FuzzDecodeUpdateSecret(f *testing.F) {
	for _, s := range []string{`{"secretData":"v"}`, "", "{}", "null", "[]", `{"secretData":5}`, `{"secretData":"\ud800"}`,
		`{"secretData":"a","secretData":"b"}`, `{"secretData":"v"}x`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := alibaba.Decode[request]("application/json", []byte(body))
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("got non-client error %v", err)
			}
			return
		}
		if req.SecretData == "" || len(req.SecretData) > apigsecret.MaxValue || !utf8.ValidString(req.SecretData) {
			t.Fatalf("accepted %q", req.SecretData)
		}
	})
}
