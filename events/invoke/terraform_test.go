//go:build invoke

package invoke

import (
	"testing"

	"keyport/tfreplay"
)

// TestTerraformReplays runs every provider replay (package tfreplay) against the built Lambda
// functions behind the harness's gateway, on DynamoDB, KMS and Secrets Manager on moto: the
// same sequences the local server passes in cmd/keyport.
func TestTerraformReplays(t *testing.T) {
	h := newHarness(t, devDocument(t))
	g := newGateway(t, h)
	for _, tt := range []struct {
		name   string
		replay func(testing.TB, string)
	}{
		{"gcore_secret", tfreplay.GcoreSecret},
		{"gcore_secret data source", tfreplay.GcoreSecretDataSource},
		{"tencentcloud_api_gateway_api_key", tfreplay.TencentAPIGatewayAPIKey},
		{"tencentcloud_api_gateway_api_keys data source", tfreplay.TencentAPIGatewayAPIKeysDataSource},
		{"tencentcloud_teo_multi_path_gateway_secret_key_config", tfreplay.TencentTEOSecretKeyConfig},
		{"alicloud_apig_secret", tfreplay.AlicloudAPIGSecret},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.replay(t, g.host()) })
	}
}
