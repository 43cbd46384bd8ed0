package tfreplay

import (
	"strings"
	"testing"
)

const teo, teoVersion = "teo", "2022-09-01"

// TencentTEOSecretKeyConfig replays tencentcloud_teo_multi_path_gateway_secret_key_config
// (terraform-provider-tencentcloud
// tencentcloud/services/teo/resource_tc_teo_multi_path_gateway_secret_key_config.go, commit
// 22613ac0dbdf): Create sets the id to the zone and runs Update, which describes the zone's key
// and creates it on ResourceNotFound (or a nil SecretKey) or modifies it otherwise, then reads;
// a changed secret_key is the same Update; import reads by zone id; Delete sends nothing, so
// the key is still there after it.
func TencentTEOSecretKeyConfig(t testing.TB, host string) {
	c := newTencent(t, host)
	const zone = "zone-3tfreplay0a1"
	first := "dGZyZXBsYXktdGVvLWtleS0wMDAwMDAwMDAwMDAwMDE=" // 32 bytes, base64
	second := "dGZyZXBsYXktdGVvLWtleS0wMDAwMDAwMDAwMDAwMDI="
	if key := teoRead(c, zone); key != nil {
		t.Fatalf("before create: zone already has a key")
	}
	teoApply(c, zone, first)
	teoExpect(c, zone, first)
	teoApply(c, zone, second) // update
	teoExpect(c, zone, second)
	teoExpect(c, zone, second) // import: passthrough ZoneId, Read
	// Delete: no request. A later refresh still finds the key.
	teoExpect(c, zone, second)
}

// teoRead is DescribeTeoMultiPathGatewaySecretKeyById as the resource reads it: nil when the
// error mentions ResourceNotFound or SecretKey is absent; any other error is fatal.
func teoRead(c tencent, zone string) *string {
	c.t.Helper()
	var out struct{ SecretKey *string }
	err := c.call(teo, teoVersion, "DescribeMultiPathGatewaySecretKey", map[string]any{"ZoneId": zone}, &out)
	if err != nil {
		if strings.Contains(err.Error(), "ResourceNotFound") {
			return nil
		}
		c.t.Fatalf("DescribeMultiPathGatewaySecretKey %s: %v", zone, err)
	}
	return out.SecretKey
}

// teoApply is the resource's Update: Describe, then Create (ZoneId, SecretKey) when there is no
// key, else Modify.
func teoApply(c tencent, zone, key string) {
	c.t.Helper()
	action := "ModifyMultiPathGatewaySecretKey"
	if teoRead(c, zone) == nil {
		action = "CreateMultiPathGatewaySecretKey"
	}
	c.must(teo, teoVersion, action, map[string]any{"ZoneId": zone, "SecretKey": key}, nil)
}

// teoExpect is the resource's Read, checking the key it sets is the configured one (else every
// plan shows a change).
func teoExpect(c tencent, zone, want string) {
	c.t.Helper()
	got := teoRead(c, zone)
	if got == nil || *got != want {
		c.t.Fatalf("read %s: got %v, want the configured key", zone, got)
	}
}
