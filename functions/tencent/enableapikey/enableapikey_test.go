package enableapikey_test

import (
	"testing"

	"keyport/functions/tencent/lifecycletest"
)

// TestEnableApiKey: see lifecycletest.RunSetStatus, which DisableApiKey shares.
func TestEnableApiKey(t *testing.T) { lifecycletest.RunSetStatus(t, "EnableApiKey", 1) }
