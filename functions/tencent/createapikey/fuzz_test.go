package createapikey

import (
	"testing"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/fault"
)

// FuzzDecodeCreateApiKey checks that decoding and validating any body never panics and fails
// only with client faults.
func FuzzDecodeCreateApiKey(f *testing.F) {
	for _, s := range []string{
		`{"SecretName":"n"}`,
		`{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"my_key_id","AccessKeySecret":"my_key_secret_1","Tags":[{"Key":"k","Value":"v"}]}`,
		`{"SecretName":"n","AccessKeyType":"manual"}`,
		`{"SecretName":1,"Tags":{}}`,
		`{"Tags":[{"Key":"k"},{"Key":"k"}]}`,
		`{"SecretName":"\u0000"}`,
		`[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := tencent.Parse[request](body)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("got a non-client error %v", err)
			}
			return
		}
		if r.SecretName == "" || (r.AccessKeyType != apikey.TypeAuto && r.AccessKeyType != apikey.TypeManual) {
			t.Fatalf("accepted %+v", r)
		}
	})
}
