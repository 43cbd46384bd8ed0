package describeapikey_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const manual = `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"my_key_id","AccessKeySecret":"my_key_secret_1","Tags":[{"Key":"k","Value":"v"}]}`

// TestDescribeApiKey: the key comes back whole, secret included; every way of naming a key
// that is not the caller's is the same not-found answer; bad parameters name the parameter.
func TestDescribeApiKey(t *testing.T) {
	e, _ := lifecycletest.Local(t, now, 0)
	e.Create(t, lifecycletest.Dev, manual)
	auto := e.Create(t, lifecycletest.Dev, `{"SecretName":"auto"}`)
	e.Create(t, lifecycletest.Other, `{"SecretName":"o","AccessKeyType":"manual","AccessKeyId":"other_key","AccessKeySecret":"other_secret_1"}`)
	deleted := e.Create(t, lifecycletest.Dev, `{"SecretName":"gone"}`)
	e.Must(t, lifecycletest.Dev, "DisableApiKey", `{"AccessKeyId":"`+deleted.AccessKeyID+`"}`)
	e.Must(t, lifecycletest.Dev, "DeleteApiKey", `{"AccessKeyId":"`+deleted.AccessKeyID+`"}`)

	tests := []struct {
		name     string
		caller   lifecycletest.Caller
		body     string
		wantCode string
		golden   string
	}{
		{"manual key", lifecycletest.Dev, `{"AccessKeyId":"my_key_id"}`, "", "manual"},
		{"auto key", lifecycletest.Dev, `{"AccessKeyId":"` + auto.AccessKeyID + `"}`, "", ""},
		{"unknown key", lifecycletest.Dev, `{"AccessKeyId":"no_such_key"}`, "ResourceNotFound.InvalidAccessKeyId", "not_found"},
		{"another account's key", lifecycletest.Dev, `{"AccessKeyId":"other_key"}`, "ResourceNotFound.InvalidAccessKeyId", "not_found_other"},
		{"my key asked by another account", lifecycletest.Other, `{"AccessKeyId":"my_key_id"}`, "ResourceNotFound.InvalidAccessKeyId", ""},
		{"deleted key", lifecycletest.Dev, `{"AccessKeyId":"` + deleted.AccessKeyID + `"}`, "ResourceNotFound.InvalidAccessKeyId", ""},
		{"empty AccessKeyId", lifecycletest.Dev, `{"AccessKeyId":""}`, "MissingParameter", "empty_id"},
		{"no AccessKeyId", lifecycletest.Dev, `{}`, "MissingParameter", ""},
		{"AccessKeyId no key can have", lifecycletest.Dev, `{"AccessKeyId":"a-b-c-d"}`, "InvalidParameterValue", "bad_id"},
		{"AccessKeyId not a string", lifecycletest.Dev, `{"AccessKeyId":1}`, "InvalidParameter", ""},
		{"unknown parameter", lifecycletest.Dev, `{"AccessKeyId":"my_key_id","Colour":"red"}`, "UnknownParameter", ""},
		{"not Unicode", lifecycletest.Dev, "{\"AccessKeyId\":\"my_key_id\xff\"}", "InvalidParameterValue", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, resp, raw := e.CallRaw(t, tt.caller, "DescribeApiKey", tt.body)
			if code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, resp.Error, tt.wantCode)
			}
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(raw))
			}
			if code != "" {
				if strings.Contains(string(raw), "other_secret_1") || strings.Contains(string(raw), "my_key_secret_1") {
					t.Errorf("refusal %s holds a secret", raw)
				}
				return
			}
			k := resp.Key(t)
			if k.Status == nil || *k.Status != 1 || k.AccessKeySecret == "" || k.CreatedTime != "2026-03-04T05:06:07Z" {
				t.Errorf("got %+v, want an enabled key with its secret and creation time", k)
			}
			if tt.name == "auto key" && (k.AccessKeySecret != auto.AccessKeySecret || k.AccessKeyType != "auto") {
				t.Errorf("got %+v, want the secret CreateApiKey returned", k)
			}
		})
	}
}
