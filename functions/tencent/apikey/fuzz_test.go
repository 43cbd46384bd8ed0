package apikey

import (
	"testing"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// FuzzDecodeID: the AccessKeyId decoder of Describe, Enable, Disable and Delete accepts only
// ids a key can have, and fails only with client faults.
func FuzzDecodeID(f *testing.F) {
	for _, s := range []string{`{"AccessKeyId":"my_key_id"}`, `{"AccessKeyId":""}`, `{}`, `{"AccessKeyId":"a\u0000bcde"}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		id, err := DecodeID(body)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("got a non-client error %v", err)
			}
			return
		}
		if valid.WordOfLength("", id, 5, 50) != nil {
			t.Fatalf("accepted %q", id)
		}
	})
}
