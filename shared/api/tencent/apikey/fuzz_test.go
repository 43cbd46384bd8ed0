package apikey_test

import (
	"testing"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// FuzzKeyParams: the parameters of Describe, Enable, Disable and Delete accept only ids a key
// can have, and fail only with client faults.
func FuzzKeyParams(f *testing.F) {
	for _, s := range []string{`{"AccessKeyId":"my_key_id"}`, `{"AccessKeyId":""}`, `{}`, `{"AccessKeyId":"a\u0000bcde"}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := tencent.Parse[apikey.KeyParams](body)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("got a non-client error %v", err)
			}
			return
		}
		if valid.WordOfLength("", p.AccessKeyID, 5, 50) != nil {
			t.Fatalf("accepted %q", p.AccessKeyID)
		}
	})
}
