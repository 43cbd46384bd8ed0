package localserver

import (
	"strings"
	"testing"

	"keyport/tfreplay"
)

// replays are the providers' resources and data sources, request for request as each provider
// sends them (package tfreplay names each provider file and commit).
var replays = []struct {
	name   string
	replay func(testing.TB, string)
}{
	{"gcore_secret", tfreplay.GcoreSecret},
	{"gcore_secret data source", tfreplay.GcoreSecretDataSource},
	{"tencentcloud_api_gateway_api_key", tfreplay.TencentAPIGatewayAPIKey},
	{"tencentcloud_api_gateway_api_keys data source", tfreplay.TencentAPIGatewayAPIKeysDataSource},
	{"tencentcloud_teo_multi_path_gateway_secret_key_config", tfreplay.TencentTEOSecretKeyConfig},
	{"alicloud_apig_secret", tfreplay.AlicloudAPIGSecret},
}

// TestTerraformReplays runs every replay against its own local server.
func TestTerraformReplays(t *testing.T) {
	for _, tt := range replays {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			tt.replay(t, strings.TrimPrefix(srv.URL, "http://"))
		})
	}
}

// TestTerraformReplaysLogNoSecret runs every replay against one local server (`make run`) and
// scans its request log and audit trail for the secrets the replays sent: the PEM certificates
// and keys, the manual API key secrets, the zone keys and the APIG secret data.
func TestTerraformReplaysLogNoSecret(t *testing.T) {
	addr, logs, stop := startServer(t, 500)
	for _, tt := range replays {
		t.Run(tt.name, func(t *testing.T) { tt.replay(t, addr) })
	}
	stop()
	out := logs.String()
	if !strings.Contains(out, "gcore.CreateSecretV2") {
		t.Fatal("the log holds no v2 create: the scan would prove nothing")
	}
	for _, secret := range []string{"-----BEGIN", "PRIVATE KEY", "tf_manual_secret_000", "dGZyZXBsYXktdGVvLWtleS0", "tf-replay-secret-v1"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}
