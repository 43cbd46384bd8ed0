package refreshmultipathgatewaysecretkey_test

import (
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const created = lifecycletest.ZoneKey

// TestRefreshMultiPathGatewaySecretKey: see lifecycletest.RunZoneRefusals.
func TestRefreshMultiPathGatewaySecretKey(t *testing.T) {
	lifecycletest.RunZoneRefusals(t, "RefreshMultiPathGatewaySecretKey", "")
}

// TestRefreshReplaces: a new 32-byte key, returned and then described; the old one is gone.
func TestRefreshReplaces(t *testing.T) {
	e, _ := lifecycletest.Local(t, now, 0)
	e.Must(t, lifecycletest.Dev, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"`+created+`"}`)
	got := *e.Must(t, lifecycletest.Dev, "RefreshMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`).SecretKey
	if len(got) != 44 || got == created {
		t.Errorf("got %q, want a new base64 key of 32 bytes", got)
	}
	if d := *e.Must(t, lifecycletest.Dev, "DescribeMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`).SecretKey; d != got {
		t.Errorf("Describe got %q, want the refreshed key", d)
	}
}
