package createmultipathgatewaysecretkey

import (
	"testing"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/zonekey"
	"keyport/shared/fault"
)

// FuzzDecodeCreateMultiPathGatewaySecretKey checks that decoding and validating any body never
// panics and fails only with client faults.
func FuzzDecodeCreateMultiPathGatewaySecretKey(f *testing.F) {
	for _, s := range []string{
		`{"ZoneId":"zone-27q0p0bal192","SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}`,
		`{"ZoneId":"zone-27q0p0bal192"}`,
		`{"ZoneId":"zone-","SecretKey":"===="}`,
		`{"ZoneId":1}`,
		`{"SecretKey":"\n"}`,
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
		if zonekey.CheckZoneID(r.ZoneID) != nil || (r.SecretKey != "" && zonekey.CheckSecretKey(r.SecretKey) != nil) {
			t.Fatalf("accepted %+v", r)
		}
	})
}
