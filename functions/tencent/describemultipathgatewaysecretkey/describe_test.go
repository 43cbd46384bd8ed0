package describemultipathgatewaysecretkey_test

import (
	"path/filepath"
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	created  = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="
	replaced = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v"
)

// TestDescribeMultiPathGatewaySecretKey: the zone's key, for its own account only; a zone without a key (or another
// account's) is an error whose code begins with ResourceNotFound, and a refusal leaves the key
// as it was.
func TestDescribeMultiPathGatewaySecretKey(t *testing.T) {
	e, h := lifecycletest.Local(t, now, 0)
	e.Must(t, lifecycletest.Dev, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"`+created+`"}`)
	e.Must(t, lifecycletest.Other, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-other0000001"}`)
	tests := []struct {
		name     string
		caller   lifecycletest.Caller
		body     string
		wantCode string
	}{
		{"zone without a key", lifecycletest.Dev, `{"ZoneId":"zone-nokey0000001"}`, "ResourceNotFound"},
		{"another account's zone", lifecycletest.Dev, `{"ZoneId":"zone-other0000001"}`, "ResourceNotFound"},
		{"my zone asked by another account", lifecycletest.Other, `{"ZoneId":"zone-27q0p0bal192"}`, "ResourceNotFound"},
		{"no ZoneId", lifecycletest.Dev, `{}`, "MissingParameter"},
		{"bad ZoneId", lifecycletest.Dev, `{"ZoneId":"Zone_1"}`, "InvalidParameterValue"},
		{"unknown parameter", lifecycletest.Dev, `{"ZoneId":"zone-27q0p0bal192","Colour":"red"}`, "UnknownParameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seals := h.Seals.SealCalls.Load()
			if code, resp := e.Call(t, tt.caller, "DescribeMultiPathGatewaySecretKey", tt.body); code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, resp.Error, tt.wantCode)
			}
			if got := *e.Must(t, lifecycletest.Dev, "DescribeMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`).SecretKey; got != created {
				t.Errorf("the key changed after a refusal")
			}
			if h.Seals.SealCalls.Load() != seals {
				t.Error("a refusal reached KMS")
			}
		})
	}
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
