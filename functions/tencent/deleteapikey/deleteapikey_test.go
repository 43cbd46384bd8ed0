package deleteapikey_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const manual = `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"my_key_id","AccessKeySecret":"my_key_secret_1"}`

// TestDeleteApiKey: only a disabled key is deleted; the delete frees the quota slot and the
// custom AccessKeyId at once; refusals change nothing; another account's key is not found.
func TestDeleteApiKey(t *testing.T) {
	e, h := lifecycletest.Local(t, now, 2)
	e.Create(t, lifecycletest.Dev, manual)
	e.Create(t, lifecycletest.Dev, `{"SecretName":"second"}`)
	other := e.Create(t, lifecycletest.Other, `{"SecretName":"o"}`)
	e.Must(t, lifecycletest.Other, "DisableApiKey", `{"AccessKeyId":"`+other.AccessKeyID+`"}`)
	if code, _ := e.Call(t, lifecycletest.Dev, "CreateApiKey", `{"SecretName":"third"}`); code != "LimitExceeded.ApiKeyCountLimitExceeded" {
		t.Fatalf("got %q, want the account at its limit of 2", code)
	}
	count := func() int64 {
		n, err := h.Store.CounterValue(context.Background(), apikey.CounterRef(credentials.DevTencentAccount))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	refusals := []struct {
		name, body, wantCode string
		caller               lifecycletest.Caller
		golden               string
	}{
		{"enabled key", `{"AccessKeyId":"my_key_id"}`, "UnsupportedOperation.InvalidStatus", lifecycletest.Dev, "enabled"},
		{"another account's disabled key", `{"AccessKeyId":"` + other.AccessKeyID + `"}`, "ResourceNotFound.InvalidAccessKeyId", lifecycletest.Dev, ""},
		{"unknown key", `{"AccessKeyId":"no_such_key"}`, "ResourceNotFound.InvalidAccessKeyId", lifecycletest.Dev, "unknown"},
		{"empty AccessKeyId, as Terraform may send", `{"AccessKeyId":""}`, "MissingParameter", lifecycletest.Dev, "empty_id"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			code, resp, raw := e.CallRaw(t, tt.caller, "DeleteApiKey", tt.body)
			if code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, resp.Error, tt.wantCode)
			}
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(raw))
			}
			if n, _ := h.Store.CountRecords(context.Background()); n != 3 || count() != 2 {
				t.Errorf("got %d records and count %d, want 3 and 2: a refusal wrote", n, count())
			}
		})
	}
	t.Run("disabled key", func(t *testing.T) {
		e.Must(t, lifecycletest.Dev, "DisableApiKey", `{"AccessKeyId":"my_key_id"}`)
		code, _, raw := e.CallRaw(t, lifecycletest.Dev, "DeleteApiKey", `{"AccessKeyId":"my_key_id"}`)
		if code != "" {
			t.Fatalf("got code %q, want success", code)
		}
		tencenttest.Golden(t, filepath.Join("testdata", "deleted.json"), tencenttest.Normalise(raw))
		if code, _ := e.Call(t, lifecycletest.Dev, "DescribeApiKey", `{"AccessKeyId":"my_key_id"}`); code != "ResourceNotFound.InvalidAccessKeyId" {
			t.Errorf("Describe after delete: got %q, want ResourceNotFound.InvalidAccessKeyId", code)
		}
		if code, _ := e.Call(t, lifecycletest.Dev, "DeleteApiKey", `{"AccessKeyId":"my_key_id"}`); code != "ResourceNotFound.InvalidAccessKeyId" {
			t.Errorf("second delete: got %q, want ResourceNotFound.InvalidAccessKeyId", code)
		}
		if count() != 1 {
			t.Errorf("got count %d, want 1", count())
		}
	})
	t.Run("id and slot free at once", func(t *testing.T) {
		k := e.Create(t, lifecycletest.Dev, `{"SecretName":"again","AccessKeyType":"manual","AccessKeyId":"my_key_id","AccessKeySecret":"brand_new_secret"}`)
		if k.AccessKeySecret != "brand_new_secret" || count() != 2 {
			t.Errorf("got %+v and count %d, want the id reissued and count 2", k, count())
		}
	})
	t.Run("other account's key still there", func(t *testing.T) {
		e.Must(t, lifecycletest.Other, "DescribeApiKey", `{"AccessKeyId":"`+other.AccessKeyID+`"}`)
	})
}
