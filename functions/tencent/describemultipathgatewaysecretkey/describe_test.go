package describemultipathgatewaysecretkey_test

import (
	"path/filepath"
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const created = lifecycletest.ZoneKey

// TestDescribeMultiPathGatewaySecretKey: see lifecycletest.RunZoneRefusals.
func TestDescribeMultiPathGatewaySecretKey(t *testing.T) {
	lifecycletest.RunZoneRefusals(t, "DescribeMultiPathGatewaySecretKey", "")
}

// TestDescribeGolden: the answer, and the not-found answer, as Tencent's clients read them.
func TestDescribeGolden(t *testing.T) {
	e, _ := lifecycletest.Local(t, now, 0)
	e.Must(t, lifecycletest.Dev, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"`+created+`"}`)
	for name, body := range map[string]string{"found": `{"ZoneId":"zone-27q0p0bal192"}`, "no_key": `{"ZoneId":"zone-nokey0000001"}`} {
		_, _, raw := e.CallRaw(t, lifecycletest.Dev, "DescribeMultiPathGatewaySecretKey", body)
		tencenttest.Golden(t, filepath.Join("testdata", name+".json"), tencenttest.Normalise(raw))
	}
}
