package modifymultipathgatewaysecretkey

import (
	"encoding/base64"
	"testing"

	"keyport/shared/api/tencent"
	"keyport/shared/fault"
)

// FuzzDecodeModify: any body decodes to a zone id and a 32-48-byte base64 key, or a client fault.
func FuzzDecodeModify(f *testing.F) {
	for _, s := range []string{
		`{"ZoneId":"zone-27q0p0bal192","SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}`,
		`{"ZoneId":"zone-27q0p0bal192"}`, `{"SecretKey":"x"}`, `{"ZoneId":"zone-1","SecretKey":"c2hvcnQ="}`, `[]`, `{`,
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
		key, derr := base64.StdEncoding.Strict().DecodeString(r.SecretKey)
		if derr != nil || len(key) < 32 || len(key) > 48 || len(r.ZoneID) < 6 {
			t.Fatalf("accepted %+v", r)
		}
	})
}
