package updateapikey

import (
	"testing"

	"keyport/shared/api/tencent"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// FuzzDecodeUpdateApiKey: any body decodes to a well-formed request or a client fault.
func FuzzDecodeUpdateApiKey(f *testing.F) {
	for _, s := range []string{
		`{"AccessKeyId":"my_key_id"}`, `{"AccessKeyId":"my_key_id","AccessKeySecret":"my_key_secret"}`,
		`{"AccessKeyId":""}`, `{"AccessKeyId":"a-b"}`, `{"AccessKeySecret":"x"}`, `{"AccessKeyId":1}`,
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
		if valid.WordOfLength("", r.AccessKeyID, 5, 50) != nil ||
			(r.AccessKeySecret != "" && valid.WordOfLength("", r.AccessKeySecret, 10, 50) != nil) {
			t.Fatalf("accepted %+v", r)
		}
	})
}
