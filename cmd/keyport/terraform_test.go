package main

import (
	"strings"
	"testing"

	"keyport/tfreplay"
)

// TestTerraformReplays runs each vendor's Terraform resource and data source, request for
// request as its provider sends them (package tfreplay names each provider file and commit),
// against the local server.
func TestTerraformReplays(t *testing.T) {
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
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			tt.replay(t, strings.TrimPrefix(srv.URL, "http://"))
		})
	}
}
