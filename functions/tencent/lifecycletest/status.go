package lifecycletest

import (
	"testing"
	"time"
)

// RunSetStatus is the test of EnableApiKey and DisableApiKey (action), which put a key in
// Status want (1 or 0): Result true and the Status it sets, twice in a row too (the second
// changes nothing, not even ModifiedTime); another account's key and unknown keys are not found
// and unchanged; an empty AccessKeyId (what Tencent's Terraform provider sends for an auto key
// created with status off) is a parameter error.
func RunSetStatus(t *testing.T, action string, want int64) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	e, _ := Local(t, now, 0)
	k := e.Create(t, Dev, `{"SecretName":"n"}`)
	other := e.Create(t, Other, `{"SecretName":"o"}`)
	if want == 1 {
		// Keys are created enabled; both start disabled, so that enabling changes them.
		e.Must(t, Dev, "DisableApiKey", `{"AccessKeyId":"`+k.AccessKeyID+`"}`)
		e.Must(t, Other, "DisableApiKey", `{"AccessKeyId":"`+other.AccessKeyID+`"}`)
	}
	otherBefore := e.Must(t, Other, "DescribeApiKey", `{"AccessKeyId":"`+other.AccessKeyID+`"}`).Key(t)
	tests := []struct {
		name     string
		caller   Caller
		body     string
		wantCode string
	}{
		{"empty AccessKeyId", Dev, `{"AccessKeyId":""}`, "MissingParameter"},
		{"another account's key", Dev, `{"AccessKeyId":"` + other.AccessKeyID + `"}`, "ResourceNotFound.InvalidAccessKeyId"},
		{"unknown key", Dev, `{"AccessKeyId":"no_such_key"}`, "ResourceNotFound.InvalidAccessKeyId"},
		{"not an object", Dev, `[]`, "InvalidParameter"},
		{"first time", Dev, `{"AccessKeyId":"` + k.AccessKeyID + `"}`, ""},
		{"second time", Dev, `{"AccessKeyId":"` + k.AccessKeyID + `"}`, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.Now = now.Add(time.Duration(i+1) * time.Minute)
			code, resp := e.Call(t, tt.caller, action, tt.body)
			if code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, resp.Error, tt.wantCode)
			}
			if code == "" && string(resp.Result) != "true" {
				t.Errorf("got Result %s, want true", resp.Result)
			}
		})
	}
	e.Now = now.Add(time.Hour)
	d := e.Must(t, Dev, "DescribeApiKey", `{"AccessKeyId":"`+k.AccessKeyID+`"}`).Key(t)
	if *d.Status != want || d.ModifiedTime != "2026-03-04T05:11:07Z" {
		t.Errorf("got Status %d ModifiedTime %s, want %d set by the first call only (05:11:07)", *d.Status, d.ModifiedTime, want)
	}
	if o := e.Must(t, Other, "DescribeApiKey", `{"AccessKeyId":"`+other.AccessKeyID+`"}`).Key(t); *o.Status != *otherBefore.Status || o.ModifiedTime != otherBefore.ModifiedTime {
		t.Errorf("another account's key changed: got %+v, want %+v", o, otherBefore)
	}
}
