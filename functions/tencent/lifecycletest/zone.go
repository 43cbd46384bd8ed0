package lifecycletest

import (
	"testing"
	"time"
)

// ZoneKey is the key the EdgeOne tests create their zone (zone-27q0p0bal192) with.
const ZoneKey = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="

// RunZoneRefusals is the refusal test that Describe, Modify and Refresh
// MultiPathGatewaySecretKey (action) share: the zone's key, for its own account only; a zone
// without a key (or another account's) is an error whose code begins with ResourceNotFound, and
// a refusal leaves the key as it was and never reaches KMS. params are the parameters action
// needs besides ZoneId (Modify's SecretKey), as `,"Name":value` JSON; the not-found cases send
// them, so that only the zone is wrong.
func RunZoneRefusals(t *testing.T, action, params string) {
	e, h := Local(t, time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), 0)
	e.Must(t, Dev, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"`+ZoneKey+`"}`)
	e.Must(t, Other, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-other0000001"}`)
	tests := []struct {
		name     string
		caller   Caller
		body     string
		wantCode string
	}{
		{"zone without a key", Dev, `{"ZoneId":"zone-nokey0000001"` + params + `}`, "ResourceNotFound"},
		{"another account's zone", Dev, `{"ZoneId":"zone-other0000001"` + params + `}`, "ResourceNotFound"},
		{"my zone asked by another account", Other, `{"ZoneId":"zone-27q0p0bal192"` + params + `}`, "ResourceNotFound"},
		{"no ZoneId", Dev, `{}`, "MissingParameter"},
		{"bad ZoneId", Dev, `{"ZoneId":"Zone_1"}`, "InvalidParameterValue"},
		{"unknown parameter", Dev, `{"ZoneId":"zone-27q0p0bal192","Colour":"red"}`, "UnknownParameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seals := h.Seals.SealCalls.Load()
			if code, resp := e.Call(t, tt.caller, action, tt.body); code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, resp.Error, tt.wantCode)
			}
			if got := *e.Must(t, Dev, "DescribeMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192"}`).SecretKey; got != ZoneKey {
				t.Errorf("the key changed after a refusal")
			}
			if h.Seals.SealCalls.Load() != seals {
				t.Error("a refusal reached KMS")
			}
		})
	}
}
