package refreshmultipathgatewaysecretkey_test

import (
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	created  = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="
	replaced = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v"
)

// TestRefreshMultiPathGatewaySecretKey: the zone's key, for its own account only; a zone without a key (or another
// account's) is an error whose code begins with ResourceNotFound, and a refusal leaves the key
// as it was.
func TestRefreshMultiPathGatewaySecretKey(t *testing.T) {
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
			if code, resp := e.Call(t, tt.caller, "RefreshMultiPathGatewaySecretKey", tt.body); code != tt.wantCode {
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
