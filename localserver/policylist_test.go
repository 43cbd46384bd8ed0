package localserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
)

// listed is one list answer: the ids (or names) of its page and its count of every match.
type listed struct {
	ids   []string
	total int
}

// TestPolicyListsFilter: in each dialect a list shows, pages and counts only the items the
// caller's policy allows the list's action on (docs/policies.md, "Lists"), while a credential
// without a policy still sees them all. The items are created first through the development
// credentials; a second server on the same store holds policies naming some of them.
func TestPolicyListsFilter(t *testing.T) {
	data := localdatatest.Open(t)
	dev := httptest.NewServer(newMux(quietServices(data.Store, data.Sealer, credentials.Dev())))
	t.Cleanup(dev.Close)
	devAddr := strings.TrimPrefix(dev.URL, "http://")

	tencentList := func(addr, id, key string, params map[string]any) listed {
		s := tencentReq(t, addr, "apigateway", "2018-08-08", "DescribeApiKeysStatus", credentials.DevTencentSecretKey, params)
		resign(t, s.r, id, key, "apigateway")
		_, body := do(t, s.r)
		var out struct {
			Response struct {
				Result struct {
					TotalCount int
					ApiKeySet  []struct{ AccessKeyId string }
				}
			}
		}
		if err := json.Unmarshal(body, &out); err != nil || tencentCode(t, body) != "" {
			t.Fatalf("tencent list: %s", body)
		}
		l := listed{total: out.Response.Result.TotalCount}
		for _, k := range out.Response.Result.ApiKeySet {
			l.ids = append(l.ids, k.AccessKeyId)
		}
		return l
	}
	alibabaListed := func(addr, query, id, secret string) (listed, map[string]string) {
		status, body := do(t, alibabaSigned(t, addr, "ListSecrets", "/v1/secrets?"+query, id, secret))
		var out struct {
			Data struct {
				TotalSize int
				Items     []struct{ SecretID, Name string }
			}
		}
		if err := json.Unmarshal(body, &out); err != nil || status != 200 {
			t.Fatalf("alibaba list: %d %s", status, body)
		}
		l, ids := listed{total: out.Data.TotalSize}, map[string]string{}
		for _, it := range out.Data.Items {
			l.ids = append(l.ids, it.Name)
			ids[it.Name] = it.SecretID
		}
		return l, ids
	}
	gcoreList := func(addr, path, key string) listed {
		status, body := do(t, gcoreReq(t, addr, http.MethodGet, path, key, "").r)
		var out struct {
			Count   int
			Results []struct{ ID string }
		}
		if err := json.Unmarshal(body, &out); err != nil || status != 200 {
			t.Fatalf("gcore %s: %d %s", path, status, body)
		}
		l := listed{total: out.Count}
		for _, r := range out.Results {
			l.ids = append(l.ids, r.ID)
		}
		return l
	}
	k5List := func(addr, token, query string) listed { // "/secrets" in K5's layout, or "/v1/secrets?…" in Barbican's
		path := "/v1/" + credentials.DevK5Tenant + "/secrets?" + query
		if strings.HasPrefix(query, "/") {
			path = query
		}
		status, body := do(t, plainReq(t, http.MethodGet, "http://"+addr+path, nil, map[string]string{"X-Auth-Token": token}).r)
		var out struct {
			Total   int
			Secrets []struct {
				Ref string `json:"secret_ref"`
			}
		}
		if err := json.Unmarshal(body, &out); err != nil || status != 200 {
			t.Fatalf("k5 list: %d %s", status, body)
		}
		l := listed{total: out.Total}
		for _, s := range out.Secrets {
			l.ids = append(l.ids, s.Ref[strings.LastIndex(s.Ref, "/")+1:])
		}
		return l
	}

	// Three items in each dialect, through the development credentials (no policy).
	for _, id := range []string{"lst_a", "lst_b", "other_c"} {
		s := tencentReq(t, devAddr, "apigateway", "2018-08-08", "CreateApiKey", credentials.DevTencentSecretKey,
			map[string]any{"SecretName": id, "AccessKeyType": "manual", "AccessKeyId": id, "AccessKeySecret": "$SECRET"})
		if _, body := do(t, s.r); tencentCode(t, body) != "" {
			t.Fatalf("tencent create %s: %s", id, body)
		}
		if status, body := do(t, alibabaReq(t, devAddr, credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret, id, "$SECRET").r); status != 200 {
			t.Fatalf("alibaba create %s: %d %s", id, status, body)
		}
		if status, body := do(t, gcoreReq(t, devAddr, http.MethodPost, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey, "$SECRET").r); status != 200 {
			t.Fatalf("gcore create: %d %s", status, body)
		}
		if status, body := do(t, k5Req(t, devAddr, http.MethodPost, credentials.DevK5Tenant, credentials.DevK5Token, "opaque").r); status != 201 {
			t.Fatalf("k5 create: %d %s", status, body)
		}
	}
	_, aliIDs := alibabaListed(devAddr, "pageSize=100", credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret)
	gcoreSecrets := gcoreList(devAddr, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey).ids
	gcoreTasks := gcoreList(devAddr, "/cloud/v1/tasks?project_id=1", credentials.DevGcoreAPIKey).ids
	k5IDs := k5List(devAddr, credentials.DevK5Token, "limit=100").ids
	if len(aliIDs) != 3 || len(gcoreSecrets) != 3 || len(gcoreTasks) != 3 || len(k5IDs) != 3 {
		t.Fatalf("setup: alibaba %v, gcore secrets %v, tasks %v, k5 %v", aliIDs, gcoreSecrets, gcoreTasks, k5IDs)
	}

	extra := `{
	 "tencent": [{"secretId": "AKIDlister", "secretKey": "listerKey", "account": "` + credentials.DevTencentAccount + `", "policy": [
	    {"effect": "allow", "actions": ["tencent:DescribeApiKeysStatus"], "resources": ["lst_*"]}]},
	  {"secretId": "AKIDnotb", "secretKey": "notbKey", "account": "` + credentials.DevTencentAccount + `", "policy": [
	    {"effect": "allow", "actions": ["tencent:*"], "resources": ["*"]},
	    {"effect": "deny", "actions": ["tencent:DescribeApiKeysStatus"], "resources": ["lst_b"]}]}],
	 "alibaba": [{"accessKeyId": "LTAIlister", "accessKeySecret": "listerSecret", "account": "` + credentials.DevAlibabaAccount + `", "policy": [
	    {"effect": "allow", "actions": ["alibaba:ListSecrets"], "resources": ["lst_a", "` + aliIDs["other_c"] + `"]}]}],
	 "gcore": [{"apiKey": "gcore-lister", "projects": [1], "policy": [
	    {"effect": "allow", "actions": ["gcore:ListSecrets"], "resources": ["1/76/` + gcoreSecrets[0] + `", "1/76/` + gcoreSecrets[2] + `"]},
	    {"effect": "allow", "actions": ["gcore:ListTasks"], "resources": ["` + gcoreTasks[1] + `"]}]}],
	 "k5": [{"token": "k5-lister", "tenant": "` + credentials.DevK5Tenant + `", "policy": [
	    {"effect": "allow", "actions": ["*:ListSecrets"], "resources": ["*"]},
	    {"effect": "deny", "actions": ["k5:ListSecrets"], "resources": ["` + k5IDs[1] + `"]},
	    {"effect": "deny", "actions": ["barbican:ListSecrets"], "resources": ["` + k5IDs[0] + `"]}]}]}`
	book := devBookWith(t, extra)
	trail := &lockedBuffer{}
	svc := quietServices(data.Store, data.Sealer, book)
	svc.audit = audit.NewWriter(trail)
	srv := httptest.NewServer(newMux(svc))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	want := func(name string, got listed, ids []string, total int) {
		t.Helper()
		if got.total != total || !slices.Equal(slices.Sorted(slices.Values(got.ids)), slices.Sorted(slices.Values(ids))) {
			t.Errorf("%s: %v (count %d), want %v (count %d)", name, got.ids, got.total, ids, total)
		}
	}
	want("tencent, allowed on lst_*", tencentList(addr, "AKIDlister", "listerKey", map[string]any{}), []string{"lst_a", "lst_b"}, 2)
	want("tencent, a page of one", tencentList(addr, "AKIDlister", "listerKey", map[string]any{"Limit": 1, "Offset": 1}), []string{"lst_b"}, 2)
	want("tencent, an item's deny over an allow on *", tencentList(addr, "AKIDnotb", "notbKey", map[string]any{}), []string{"lst_a", "other_c"}, 2)
	want("tencent, no policy", tencentList(addr, credentials.DevTencentSecretID, credentials.DevTencentSecretKey, map[string]any{}), []string{"lst_a", "lst_b", "other_c"}, 3)

	got, _ := alibabaListed(addr, "pageSize=100", "LTAIlister", "listerSecret")
	want("alibaba, by name and by id", got, []string{"lst_a", "other_c"}, 2)
	got, _ = alibabaListed(addr, "pageNumber=2&pageSize=1", "LTAIlister", "listerSecret")
	want("alibaba, a page of one", got, []string{"lst_a"}, 2)
	got, _ = alibabaListed(addr, "pageSize=100", credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret)
	want("alibaba, no policy", got, []string{"lst_a", "lst_b", "other_c"}, 3)

	want("gcore secrets", gcoreList(addr, "/cloud/v1/secrets/1/76", "gcore-lister"), []string{gcoreSecrets[0], gcoreSecrets[2]}, 2)
	want("gcore secrets, a page of one", gcoreList(addr, "/cloud/v1/secrets/1/76?limit=1&offset=1", "gcore-lister"), []string{gcoreSecrets[2]}, 2)
	want("gcore tasks", gcoreList(addr, "/cloud/v1/tasks", "gcore-lister"), []string{gcoreTasks[1]}, 1)
	want("gcore secrets, no policy", gcoreList(addr, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey), gcoreSecrets, 3)
	want("gcore tasks, no policy", gcoreList(addr, "/cloud/v1/tasks?project_id=1", credentials.DevGcoreAPIKey), gcoreTasks, 3)

	want("k5, one item denied", k5List(addr, "k5-lister", "limit=100"), []string{k5IDs[0], k5IDs[2]}, 2)
	want("barbican, another item denied", k5List(addr, "k5-lister", "/v1/secrets?limit=100"), []string{k5IDs[1], k5IDs[2]}, 2)
	want("barbican, a page of one", k5List(addr, "k5-lister", "/v1/secrets?limit=1&offset=1"), []string{k5IDs[2]}, 2)
	want("k5, no policy", k5List(addr, credentials.DevK5Token, "limit=100"), k5IDs, 3)

	for _, e := range trail.events(t) {
		if e["outcome"] == audit.OutcomeDenied {
			t.Errorf("a filtered list left a denied event: %v", e)
		}
	}
}
