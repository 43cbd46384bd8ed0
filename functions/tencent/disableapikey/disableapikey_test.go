package disableapikey_test

import (
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// TestDisableApiKey: Result true and the Status it sets, twice in a row too (the second changes
// nothing, not even ModifiedTime); another account's key and unknown keys are not found and
// unchanged; an empty AccessKeyId (what Tencent's Terraform provider sends for an auto key
// created with status off) is a parameter error.
func TestDisableApiKey(t *testing.T) {
	e, _ := lifecycletest.Local(t, now, 0)
	k := e.Create(t, lifecycletest.Dev, `{"SecretName":"n"}`)
	other := e.Create(t, lifecycletest.Other, `{"SecretName":"o"}`)
	otherBefore := e.Must(t, lifecycletest.Other, "DescribeApiKey", `{"AccessKeyId":"`+other.AccessKeyID+`"}`).Key(t)
	tests := []struct {
		name     string
		caller   lifecycletest.Caller
		body     string
		wantCode string
	}{
		{"empty AccessKeyId", lifecycletest.Dev, `{"AccessKeyId":""}`, "MissingParameter"},
		{"another account's key", lifecycletest.Dev, `{"AccessKeyId":"` + other.AccessKeyID + `"}`, "ResourceNotFound.InvalidAccessKeyId"},
		{"unknown key", lifecycletest.Dev, `{"AccessKeyId":"no_such_key"}`, "ResourceNotFound.InvalidAccessKeyId"},
		{"not an object", lifecycletest.Dev, `[]`, "InvalidParameter"},
		{"first time", lifecycletest.Dev, `{"AccessKeyId":"` + k.AccessKeyID + `"}`, ""},
		{"second time", lifecycletest.Dev, `{"AccessKeyId":"` + k.AccessKeyID + `"}`, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.Now = now.Add(time.Duration(i+1) * time.Minute)
			code, resp := e.Call(t, tt.caller, "DisableApiKey", tt.body)
			if code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, resp.Error, tt.wantCode)
			}
			if code == "" && string(resp.Result) != "true" {
				t.Errorf("got Result %s, want true", resp.Result)
			}
		})
	}
	e.Now = now.Add(time.Hour)
	d := e.Must(t, lifecycletest.Dev, "DescribeApiKey", `{"AccessKeyId":"`+k.AccessKeyID+`"}`).Key(t)
	if *d.Status != 0 || d.ModifiedTime != "2026-03-04T05:11:07Z" {
		t.Errorf("got Status %d ModifiedTime %s, want 0 set by the first call only (05:11:07)", *d.Status, d.ModifiedTime)
	}
	if o := e.Must(t, lifecycletest.Other, "DescribeApiKey", `{"AccessKeyId":"`+other.AccessKeyID+`"}`).Key(t); *o.Status != *otherBefore.Status || o.ModifiedTime != otherBefore.ModifiedTime {
		t.Errorf("another account's key changed: got %+v, want %+v", o, otherBefore)
	}
}
