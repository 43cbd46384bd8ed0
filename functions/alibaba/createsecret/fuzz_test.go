package createsecret

import (
	"slices"
	"testing"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/fault"
)

// FuzzDecodeCreateSecret checks that decoding and validating any body never panics, fails only
// with client faults, and that every accepted request meets the bounds.
func FuzzDecodeCreateSecret(f *testing.F) {
	for _, s := range []string{
		okBody, withName("a"), "", "{}", "null", "[]", `{"name":5}`, `{"kmsConfig":"x"}`, body(`"kmsConfig":{}`),
		body(`"kmsConfig":{"kmsKeyId":[1]}`), `{"name":"\u00e9","secretData":"\ud800"}`, body(`-gatewayType`),
		body() + "x", body(`"name":"b"`, `"name":"c"`),
	} {
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
		if req.Name == "" || len(req.Name) > apigsecret.MaxName || req.SecretData == "" || len(req.SecretData) > apigsecret.MaxValue ||
			!slices.Contains(apigsecret.GatewayTypes, req.GatewayType) || req.KMSConfig == nil || req.KMSConfig.InstanceID == "" || req.KMSConfig.KeyID == "" {
			t.Fatalf("accepted out-of-bounds request %+v", req)
		}
	})
}
