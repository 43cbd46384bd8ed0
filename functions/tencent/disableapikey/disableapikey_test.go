package disableapikey_test

import (
	"testing"

	"keyport/functions/tencent/lifecycletest"
)

// TestDisableApiKey: see lifecycletest.RunSetStatus, which EnableApiKey shares.
func TestDisableApiKey(t *testing.T) { lifecycletest.RunSetStatus(t, "DisableApiKey", 0) }
