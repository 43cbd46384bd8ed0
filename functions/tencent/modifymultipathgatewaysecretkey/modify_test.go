package modifymultipathgatewaysecretkey_test

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

// TestModifyMultiPathGatewaySecretKey: the zone's key, for its own account only; a zone without a key (or another
// account's) is an error whose code begins with ResourceNotFound, and a refusal leaves the key
// as it was.
func TestModifyMultiPathGatewaySecretKey(t *testing.T) {
	e, h := lifecycletest.Local(t, now, 0)
	e.Must(t, lifecycletest.Dev, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"`+created+`"}`)
	e.Must(t, lifecycletest.Other, "CreateMultiPathGatewaySecretKey", `{"ZoneId":"zone-other0000001"}`)
	tests := []struct {
		name     string
		caller   lifecycletest.Caller
		body     string
		wantCode string
	}{
		{"zone without a key", lifecycletest.Dev, `{"ZoneId":"zone-nokey0000001","SecretKey":"` + replaced + `"}`, "ResourceNotFound"},
		{"another account's zone", lifecycletest.Dev, `{"ZoneId":"zone-other0000001","SecretKey":"` + replaced + `"}`, "ResourceNotFound"},
		{"my zone asked by another account", lifecycletest.Other, `{"ZoneId":"zone-27q0p0bal192","SecretKey":"` + replaced + `"}`, "ResourceNotFound"},
		{"no ZoneId", lifecycletest.Dev, `{}`, "MissingParameter"},
		{"bad ZoneId", lifecycletest.Dev, `{"ZoneId":"Zone_1"}`, "InvalidParameterValue"},
		{"unknown parameter", lifecycletest.Dev, `{"ZoneId":"zone-27q0p0bal192","Colour":"red"}`, "UnknownParameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seals := h.Seals.SealCalls.Load()
			if code, resp := e.Call(t, tt.caller, "ModifyMultiPathGatewaySecretKey", tt.body); code != tt.wantCode {
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
