package describeapikeysstatus_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/api/tencent/tencenttest"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// fixture: the dev account has four manual keys created a minute apart (k1 oldest), k3
// disabled; the other account has one key named like a dev key.
func fixture(t *testing.T) *lifecycletest.Env {
	e, _ := lifecycletest.Local(t, now, 0)
	for i, name := range []string{"alpha", "beta", "gamma", "alphabet"} {
		e.Now = now.Add(time.Duration(i) * time.Minute)
		id := "k" + string(rune('1'+i))
		e.Create(t, lifecycletest.Dev, `{"SecretName":"`+name+`","AccessKeyType":"manual","AccessKeyId":"`+id+`_id","AccessKeySecret":"secret_of_`+id+`"}`)
	}
	e.Must(t, lifecycletest.Dev, "DisableApiKey", `{"AccessKeyId":"k3_id"}`)
	e.Create(t, lifecycletest.Other, `{"SecretName":"alpha","AccessKeyType":"manual","AccessKeyId":"o1_id","AccessKeySecret":"secret_of_o1"}`)
	return e
}

func TestDescribeApiKeysStatus(t *testing.T) {
	e := fixture(t)
	tests := []struct {
		name      string
		caller    lifecycletest.Caller
		body      string
		wantCode  string
		wantTotal int64
		wantIDs   []string
		golden    string
	}{
		{"all, newest first", lifecycletest.Dev, `{}`, "", 4, []string{"k4_id", "k3_id", "k2_id", "k1_id"}, "all"},
		{"other account sees only its own", lifecycletest.Other, `{}`, "", 1, []string{"o1_id"}, ""},
		{"limit and offset", lifecycletest.Dev, `{"Limit":2,"Offset":1}`, "", 4, []string{"k3_id", "k2_id"}, ""},
		{"offset past the end", lifecycletest.Dev, `{"Offset":10}`, "", 4, nil, ""},
		{"limit 0 is the default", lifecycletest.Dev, `{"Limit":0}`, "", 4, []string{"k4_id", "k3_id", "k2_id", "k1_id"}, ""},
		{"AccessKeyId exact, values OR-ed", lifecycletest.Dev, `{"Filters":[{"Name":"AccessKeyId","Values":["k1_id","k2","o1_id"]}]}`, "", 1, []string{"k1_id"}, ""},
		{"SecretName exact", lifecycletest.Dev, `{"Filters":[{"Name":"SecretName","Values":["alpha"]}]}`, "", 1, []string{"k1_id"}, ""},
		{"KeyWord in name", lifecycletest.Dev, `{"Filters":[{"Name":"KeyWord","Values":["alpha"]}]}`, "", 2, []string{"k4_id", "k1_id"}, ""},
		{"KeyWord in id", lifecycletest.Dev, `{"Filters":[{"Name":"KeyWord","Values":["k2_"]}]}`, "", 1, []string{"k2_id"}, ""},
		{"Status 0", lifecycletest.Dev, `{"Filters":[{"Name":"Status","Values":["0"]}]}`, "", 1, []string{"k3_id"}, ""},
		{"filters AND-ed", lifecycletest.Dev, `{"Filters":[{"Name":"KeyWord","Values":["a"]},{"Name":"Status","Values":["1"]}]}`, "", 3, []string{"k4_id", "k2_id", "k1_id"}, ""},
		{"AccessKeySecret exact", lifecycletest.Dev, `{"Filters":[{"Name":"AccessKeySecret","Values":["secret_of_k2"]}]}`, "", 1, []string{"k2_id"}, ""},
		{"another account's secret", lifecycletest.Dev, `{"Filters":[{"Name":"AccessKeySecret","Values":["secret_of_o1"]}]}`, "", 0, nil, ""},
		{"NotUsagePlanId matches every key", lifecycletest.Dev, `{"Filters":[{"Name":"NotUsagePlanId","Values":["usagePlan-1"]}]}`, "", 4, []string{"k4_id", "k3_id", "k2_id", "k1_id"}, ""},
		{"no match", lifecycletest.Dev, `{"Filters":[{"Name":"AccessKeyId","Values":["nope_id"]}]}`, "", 0, nil, "empty"},
		{"unsupported filter", lifecycletest.Dev, `{"Filters":[{"Name":"Path","Values":["x"]}]}`, "InvalidParameterValue.InvalidFilterNotSupportedName", 0, nil, "bad_filter"},
		{"limit over 100", lifecycletest.Dev, `{"Limit":101}`, "InvalidParameterValue.Limit", 0, nil, "limit_101"},
		{"negative limit", lifecycletest.Dev, `{"Limit":-1}`, "InvalidParameterValue.Limit", 0, nil, ""},
		{"negative offset", lifecycletest.Dev, `{"Offset":-1}`, "InvalidParameterValue.Offset", 0, nil, "offset_negative"},
		{"limit not an integer", lifecycletest.Dev, `{"Limit":"10"}`, "InvalidParameter", 0, nil, ""},
		{"Status value not 0 or 1", lifecycletest.Dev, `{"Filters":[{"Name":"Status","Values":["on"]}]}`, "InvalidParameterValue", 0, nil, ""},
		{"filter without values", lifecycletest.Dev, `{"Filters":[{"Name":"Status","Values":[]}]}`, "InvalidParameterValue", 0, nil, ""},
		{"filter field unknown", lifecycletest.Dev, `{"Filters":[{"Name":"Status","Values":["1"],"Op":"eq"}]}`, "UnknownParameter", 0, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, resp, raw := e.CallRaw(t, tt.caller, "DescribeApiKeysStatus", tt.body)
			if code != tt.wantCode {
				t.Fatalf("got code %q (%s), want %q", code, raw, tt.wantCode)
			}
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(raw))
			}
			if code != "" {
				return
			}
			total, keys := resp.List(t)
			var ids []string
			for _, k := range keys {
				ids = append(ids, k.AccessKeyID)
				if k.Status == nil || !strings.HasSuffix(k.AccessKeySecret, strings.TrimSuffix(k.AccessKeyID, "_id")) {
					t.Errorf("item %+v: want its Status and its own secret", k)
				}
			}
			if total != tt.wantTotal || !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("got TotalCount %d ids %v, want %d %v", total, ids, tt.wantTotal, tt.wantIDs)
			}
		})
	}
}

// TestNewKeyListedAtOnce: what Tencent's Terraform provider does right after a create.
func TestNewKeyListedAtOnce(t *testing.T) {
	e, _ := lifecycletest.Local(t, time.Time{}, 0)
	k := e.Create(t, lifecycletest.Dev, `{"SecretName":"tf"}`)
	total, keys := e.Must(t, lifecycletest.Dev, "DescribeApiKeysStatus", `{"Limit":100,"Filters":[{"Name":"AccessKeyId","Values":["`+k.AccessKeyID+`"]}]}`).List(t)
	if total != 1 || len(keys) != 1 || keys[0].AccessKeySecret != k.AccessKeySecret {
		t.Errorf("got %d %+v, want the key just created", total, keys)
	}
}

// TestSameSecondOrder: keys created in one second are ordered by id, the same on every call.
func TestSameSecondOrder(t *testing.T) {
	e, _ := lifecycletest.Local(t, now, 0)
	for _, id := range []string{"zz_id", "aa_id", "mm_id"} {
		e.Create(t, lifecycletest.Dev, `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"`+id+`","AccessKeySecret":"secret_`+id+`"}`)
	}
	for range 3 {
		_, keys := e.Must(t, lifecycletest.Dev, "DescribeApiKeysStatus", `{}`).List(t)
		var ids []string
		for _, k := range keys {
			ids = append(ids, k.AccessKeyID)
		}
		if !slices.Equal(ids, []string{"aa_id", "mm_id", "zz_id"}) {
			t.Fatalf("got %v, want aa_id mm_id zz_id", ids)
		}
	}
}
