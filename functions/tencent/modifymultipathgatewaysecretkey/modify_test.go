package modifymultipathgatewaysecretkey_test

import (
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	created  = lifecycletest.ZoneKey
	replaced = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v"
)

// TestModifyMultiPathGatewaySecretKey: see lifecycletest.RunZoneRefusals.
func TestModifyMultiPathGatewaySecretKey(t *testing.T) {
	lifecycletest.RunZoneRefusals(t, "ModifyMultiPathGatewaySecretKey", `,"SecretKey":"`+replaced+`"`)
}

// TestModifyReplaces: the caller's key replaces the old one, under the create's rule.
func TestModifyReplaces(t *testing.T) {
	e, _ := lifecycletest.Local(t, now, 0)
	e.Must(t, lifecycletest.Dev, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"`+created+`"}`)
	for _, tt := range []struct{ key, wantCode string }{
		{"", "MissingParameter"},
		{"c2hvcnQ=", "InvalidParameterValue"},           // 5 bytes
		{created[:43] + `\n=`, "InvalidParameterValue"}, // a JSON-escaped line break
		{replaced, ""},
	} {
		code, resp := e.Call(t, lifecycletest.Dev, "ModifyMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"`+tt.key+`"}`)
		if code != tt.wantCode {
			t.Errorf("key %q: got %q (%v), want %q", tt.key, code, resp.Error, tt.wantCode)
		}
		if code == "" && (resp.SecretKey != nil || string(resp.Result) != "") {
			t.Errorf("got %+v, want RequestId alone", resp)
		}
	}
	if got := *e.Must(t, lifecycletest.Dev, "DescribeMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`).SecretKey; got != replaced {
		t.Errorf("got %q, want the modified key", got)
	}
}
