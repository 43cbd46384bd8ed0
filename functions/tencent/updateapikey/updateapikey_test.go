package updateapikey_test

import (
	"path/filepath"
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const manual = `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"my_key_id","AccessKeySecret":"my_key_secret_1"}`

// TestUpdateApiKey: a manual key takes the caller's secret, an auto key a generated one; the id,
// name and creation time stay, ModifiedTime moves, Describe shows the new secret; every refusal
// leaves the key (its secret and version) as it was.
func TestUpdateApiKey(t *testing.T) {
	e, h := lifecycletest.Local(t, now, 0)
	e.Create(t, lifecycletest.Dev, manual)
	auto := e.Create(t, lifecycletest.Dev, `{"SecretName":"auto"}`)
	e.Create(t, lifecycletest.Dev, `{"SecretName":"off","AccessKeyType":"manual","AccessKeyId":"disabled_key","AccessKeySecret":"disabled_secret"}`)
	e.Must(t, lifecycletest.Dev, "DisableApiKey", `{"AccessKeyId":"disabled_key"}`)
	e.Create(t, lifecycletest.Other, `{"SecretName":"o","AccessKeyType":"manual","AccessKeyId":"other_key","AccessKeySecret":"other_secret_1"}`)

	refusals := []struct {
		name     string
		caller   lifecycletest.Caller
		body     string
		wantCode string
		golden   string
	}{
		{"manual key without a secret", lifecycletest.Dev, `{"AccessKeyId":"my_key_id"}`, "MissingParameter", "manual_without_secret"},
		{"manual key, secret too short", lifecycletest.Dev, `{"AccessKeyId":"my_key_id","AccessKeySecret":"short"}`, "InvalidParameter.FormatError", ""},
		{"manual key, secret with a hyphen", lifecycletest.Dev, `{"AccessKeyId":"my_key_id","AccessKeySecret":"with-hyphen-1"}`, "InvalidParameter.FormatError", ""},
		{"auto key given a secret", lifecycletest.Dev, `{"AccessKeyId":"` + auto.AccessKeyID + `","AccessKeySecret":"chosen_secret"}`, "InvalidParameter.FormatError", "auto_with_secret"},
		{"disabled key", lifecycletest.Dev, `{"AccessKeyId":"disabled_key","AccessKeySecret":"new_secret_12"}`, "UnsupportedOperation.UnsupportedUpdateApiKey", "disabled"},
		{"another account's key", lifecycletest.Dev, `{"AccessKeyId":"other_key","AccessKeySecret":"stolen_secret"}`, "ResourceNotFound.InvalidAccessKeyId", ""},
		{"unknown key", lifecycletest.Dev, `{"AccessKeyId":"no_such_key","AccessKeySecret":"new_secret_12"}`, "ResourceNotFound.InvalidAccessKeyId", ""},
		{"empty AccessKeyId", lifecycletest.Dev, `{"AccessKeyId":""}`, "MissingParameter", ""},
		{"unknown parameter", lifecycletest.Dev, `{"AccessKeyId":"my_key_id","SecretName":"x"}`, "UnknownParameter", ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, e)
			sealsBefore := h.Seals.SealCalls.Load()
			code, _, raw := e.CallRaw(t, tt.caller, "UpdateApiKey", tt.body)
			if code != tt.wantCode {
				t.Fatalf("got code %q (%s), want %q", code, raw, tt.wantCode)
			}
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(raw))
			}
			if after := snapshot(t, e); after != before {
				t.Errorf("got keys %v after a refusal, want %v", after, before)
			}
			if h.Seals.SealCalls.Load() != sealsBefore {
				t.Error("a refusal reached KMS")
			}
		})
	}

	e.Now = now.Add(time.Hour)
	t.Run("manual key", func(t *testing.T) {
		k := e.Must(t, lifecycletest.Dev, "UpdateApiKey", `{"AccessKeyId":"my_key_id","AccessKeySecret":"my_new_secret"}`).Key(t)
		if k.AccessKeyID != "my_key_id" || k.AccessKeySecret != "my_new_secret" || k.SecretName != "n" ||
			k.CreatedTime != "2026-03-04T05:06:07Z" || k.ModifiedTime != "2026-03-04T06:06:07Z" || *k.Status != 1 {
			t.Errorf("got %+v, want the same key with the new secret and ModifiedTime", k)
		}
		d := e.Must(t, lifecycletest.Dev, "DescribeApiKey", `{"AccessKeyId":"my_key_id"}`).Key(t)
		if d.AccessKeySecret != "my_new_secret" || d.ModifiedTime != k.ModifiedTime {
			t.Errorf("Describe got %+v, want the new secret", d)
		}
	})
	t.Run("auto key", func(t *testing.T) {
		k := e.Must(t, lifecycletest.Dev, "UpdateApiKey", `{"AccessKeyId":"`+auto.AccessKeyID+`"}`).Key(t)
		if k.AccessKeyID != auto.AccessKeyID || len(k.AccessKeySecret) != 40 || k.AccessKeySecret == auto.AccessKeySecret || k.SecretName != "auto" {
			t.Errorf("got %+v, want the same key with a new generated secret", k)
		}
		d := e.Must(t, lifecycletest.Dev, "DescribeApiKey", `{"AccessKeyId":"`+auto.AccessKeyID+`"}`).Key(t)
		if d.AccessKeySecret != k.AccessKeySecret {
			t.Error("Describe does not show the new secret: the old one is still in force")
		}
	})
	t.Run("other account's key untouched", func(t *testing.T) {
		d := e.Must(t, lifecycletest.Other, "DescribeApiKey", `{"AccessKeyId":"other_key"}`).Key(t)
		if d.AccessKeySecret != "other_secret_1" {
			t.Errorf("got %q, want other_secret_1", d.AccessKeySecret)
		}
	})
}

// snapshot is every record's version in the store, to show a refusal wrote nothing.
func snapshot(t *testing.T, e *lifecycletest.Env) string {
	t.Helper()
	out := ""
	for _, account := range []string{"100000000001", lifecycletest.OtherAccount} {
		code, resp := e.Call(t, callerOf(account), "DescribeApiKeysStatus", `{"Limit":100}`)
		if code != "" {
			t.Fatalf("list: %s", code)
		}
		_, keys := resp.List(t)
		for _, k := range keys {
			out += k.AccessKeyID + "=" + k.AccessKeySecret + "@" + k.ModifiedTime + ";"
		}
	}
	return out
}

func callerOf(account string) lifecycletest.Caller {
	if account == lifecycletest.OtherAccount {
		return lifecycletest.Other
	}
	return lifecycletest.Dev
}
