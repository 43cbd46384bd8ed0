package localserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/sign/acs3"
)

// lockedBuffer is an audit stream a test reads while the server writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) events(t *testing.T) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	return readEvents(t, l.b.Bytes())
}

// policyDocument is the development book plus restricted credentials in each dialect.
func policyDocument(t *testing.T) *credentials.Book {
	t.Helper()
	extra := `{
	 "tencent": [
	  {"secretId": "AKIDreader", "secretKey": "readerKey", "account": "` + credentials.DevTencentAccount + `", "policy": [
	    {"effect": "allow", "actions": ["tencent:Describe*"], "resources": ["authz_*"]},
	    {"effect": "deny", "actions": ["tencent:DescribeApiKey"], "resources": ["authz_secret"]}]},
	  {"secretId": "AKIDwide", "secretKey": "wideKey", "account": "200000000002", "policy": [{"effect": "allow", "actions": ["tencent:*"], "resources": ["*"]}]}],
	 "alibaba": [
	  {"accessKeyId": "LTAIreader", "accessKeySecret": "readerSecret", "account": "` + credentials.DevAlibabaAccount + `", "policy": [
	    {"effect": "allow", "actions": ["alibaba:GetSecretValue"], "resources": ["app_db"]}]}],
	 "gcore": [
	  {"apiKey": "gcore-ci", "projects": [1], "policy": [{"effect": "allow", "actions": ["gcore:CreateSecret*"], "resources": ["1/76/*"]},
	    {"effect": "allow", "actions": ["gcore:GetSecret"], "resources": ["1/*"]}]}],
	 "k5": [
	  {"token": "k5-ci", "tenant": "` + credentials.DevK5Tenant + `", "policy": [{"effect": "allow", "actions": ["k5:*"], "resources": ["*"]},
	    {"effect": "deny", "actions": ["k5:GetSecretPayload", "k5:ListSecrets"], "resources": ["*"]}]}]}`
	return devBookWith(t, extra)
}

// devBookWith is the development book plus the signing keys, API keys and tokens of extra, a
// credentials document in JSON.
func devBookWith(t *testing.T, extra string) *credentials.Book {
	t.Helper()
	var more credentials.Document
	if err := json.Unmarshal([]byte(extra), &more); err != nil {
		t.Fatal(err)
	}
	return devBookPlus(t, more)
}

// devBookPlus is the development book plus more's signing keys, API keys and tokens.
func devBookPlus(t *testing.T, more credentials.Document) *credentials.Book {
	t.Helper()
	doc := credentials.DevDocument()
	doc.Tencent = append(doc.Tencent, more.Tencent...)
	doc.Alibaba = append(doc.Alibaba, more.Alibaba...)
	doc.Gcore = append(doc.Gcore, more.Gcore...)
	doc.K5 = append(doc.K5, more.K5...)
	b, err := credentials.FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func do(t *testing.T, r *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// tencentCode is the Response.Error.Code of a Tencent answer ("" for a success).
func tencentCode(t *testing.T, body []byte) string {
	t.Helper()
	var out struct {
		Response struct{ Error struct{ Code string } }
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("not a Tencent answer: %s", body)
	}
	return out.Response.Error.Code
}

// alibabaGet is an ACS3-signed APIG GetSecretValue of target.
func alibabaGet(t *testing.T, addr, target, accessKeyID, secret string) *http.Request {
	return alibabaSigned(t, addr, "GetSecretValue", target, accessKeyID, secret)
}

// alibabaSigned is an ACS3-signed APIG GET of target (a path and query) for action.
func alibabaSigned(t *testing.T, addr, action, target, accessKeyID, secret string) *http.Request {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, "http://"+addr+target, nil)
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", "2024-03-27")
	r.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	r.Header.Set("x-acs-signature-nonce", hex.EncodeToString(nonce[:]))
	acs3.Sign(r, nil, accessKeyID, secret)
	return r
}

// TestPolicies runs each dialect's restricted credentials against the local server: allowed,
// denied by no statement, denied by an explicit deny over an allow, wildcards, one resource
// only, another tenant's resources, and a denied request's audit event.
func TestPolicies(t *testing.T) {
	data := localdatatest.Open(t)
	trail := &lockedBuffer{}
	svc := quietServices(data.Store, data.Sealer, policyDocument(t))
	svc.audit = audit.NewWriter(trail)
	srv := httptest.NewServer(newMux(svc))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")
	type denial struct{ action, resource string }
	var denied []denial

	t.Run("tencent", func(t *testing.T) {
		for _, id := range []string{"authz_a", "authz_secret", "other_x"} {
			s := tencentReq(t, addr, "apigateway", "2018-08-08", "CreateApiKey", credentials.DevTencentSecretKey,
				map[string]any{"SecretName": id, "AccessKeyType": "manual", "AccessKeyId": id, "AccessKeySecret": "$SECRET"})
			if _, body := do(t, s.r); tencentCode(t, body) != "" {
				t.Fatalf("create %s: %s", id, body)
			}
		}
		call := func(id, key, action string, params map[string]any) (string, []byte) {
			s := tencentReq(t, addr, "apigateway", "2018-08-08", action, credentials.DevTencentSecretKey, params)
			resign(t, s.r, id, key, "apigateway")
			_, body := do(t, s.r)
			return tencentCode(t, body), body
		}
		describe := func(id, key, accessKeyID string) (string, []byte) {
			return call(id, key, "DescribeApiKey", map[string]any{"AccessKeyId": accessKeyID})
		}
		if code, body := describe("AKIDreader", "readerKey", "authz_a"); code != "" || !bytes.Contains(body, []byte(`"authz_a"`)) {
			t.Errorf("allowed by a wildcard: %s", body)
		}
		for _, tt := range []struct{ name, action, resource string }{
			{"another key (resource scoping)", "DescribeApiKey", "other_x"},
			{"a key that does not exist, as one that does", "DescribeApiKey", "nokey_zz"},
			{"an explicit deny over an allow", "DescribeApiKey", "authz_secret"},
			{"no statement for the action", "DeleteApiKey", "authz_a"},
		} {
			code, body := call("AKIDreader", "readerKey", tt.action, map[string]any{"AccessKeyId": tt.resource})
			if code != "UnauthorizedOperation" {
				t.Errorf("%s: %s, want UnauthorizedOperation", tt.name, body)
			}
			denied = append(denied, denial{"tencent:" + tt.action, tt.resource})
		}
		if code, body := call("AKIDreader", "readerKey", "DescribeApiKeysStatus", map[string]any{}); code != "" ||
			!bytes.Contains(body, []byte(`"TotalCount":2,`)) || bytes.Contains(body, []byte("other_x")) {
			t.Errorf("a list under a pattern that does not cover *: %s, want authz_a and authz_secret only", body)
		}
		if code, body := describe("AKIDwide", "wideKey", "authz_a"); !strings.HasPrefix(code, "ResourceNotFound") || bytes.Contains(body, []byte("AccessKeySecret")) {
			t.Errorf("another account's key through an allow-everything policy: %s", body)
		}
		if code, body := describe(credentials.DevTencentSecretID, credentials.DevTencentSecretKey, "authz_secret"); code != "" {
			t.Errorf("a key without a policy lost its full access: %s", body)
		}
	})

	t.Run("alibaba", func(t *testing.T) {
		for _, name := range []string{"app_db", "app_other"} {
			if status, body := do(t, alibabaReq(t, addr, credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret, name, "$SECRET").r); status != 200 {
				t.Fatalf("create %s: %d %s", name, status, body)
			}
		}
		value := func(name string) (int, []byte) {
			return do(t, alibabaGet(t, addr, "/v1/secrets/name/"+name+"/value", "LTAIreader", "readerSecret"))
		}
		if status, body := value("app_db"); status != 200 || !bytes.Contains(body, []byte("secretData")) {
			t.Errorf("the one secret's value: %d %s", status, body)
		}
		for _, name := range []string{"app_other", "app_missing"} {
			if status, body := value(name); status != 403 || !bytes.Contains(body, []byte(`"Forbidden"`)) {
				t.Errorf("%s: %d %s, want 403 Forbidden", name, status, body)
			}
			denied = append(denied, denial{"alibaba:GetSecretValue", name})
		}
		if status, body := do(t, alibabaReq(t, addr, "LTAIreader", "readerSecret", "app_new", "$SECRET").r); status != 403 {
			t.Errorf("create without a statement: %d %s", status, body)
		}
		denied = append(denied, denial{"alibaba:CreateSecret", "*"})
	})

	t.Run("gcore", func(t *testing.T) {
		if status, body := do(t, gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/1/76", "gcore-ci", "$SECRET").r); status != 200 {
			t.Errorf("create allowed by a wildcard action: %d %s", status, body)
		}
		if status, body := do(t, gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/1/77", "gcore-ci", "$SECRET").r); status != 403 || !bytes.Contains(body, []byte("PermissionDenied")) {
			t.Errorf("create in another region: %d %s, want 403 PermissionDenied", status, body)
		}
		denied = append(denied, denial{"gcore:CreateSecret", "1/77/*"})
		if status, body := do(t, gcoreReq(t, addr, http.MethodGet, "/cloud/v1/secrets/1/76", "gcore-ci", "").r); status != 403 {
			t.Errorf("list without a statement: %d %s", status, body)
		}
		denied = append(denied, denial{"gcore:ListSecrets", "1/76/*"})
		const missing = "0b5d8f3e-1c2a-4e6f-9a7b-3c4d5e6f7a8b"
		if status, body := do(t, gcoreReq(t, addr, http.MethodGet, "/cloud/v1/secrets/1/76/"+missing, "gcore-ci", "").r); status != 404 {
			t.Errorf("an allowed read of a missing secret: %d %s, want 404", status, body)
		}
		if status, body := do(t, gcoreReq(t, addr, http.MethodGet, "/cloud/v1/secrets/2/76/"+missing, "gcore-ci", "").r); status != 404 {
			t.Errorf("another project: %d %s, want 404 before any policy", status, body)
		}
	})

	t.Run("k5", func(t *testing.T) {
		status, body := do(t, k5Req(t, addr, http.MethodPost, credentials.DevK5Tenant, "k5-ci", "opaque").r)
		if status != 201 {
			t.Fatalf("create: %d %s", status, body)
		}
		var created struct {
			Ref string `json:"secret_ref"`
		}
		_ = json.Unmarshal(body, &created)
		id := created.Ref[strings.LastIndex(created.Ref, "/")+1:]
		get := func(path string) (int, []byte) {
			return do(t, plainReq(t, http.MethodGet, "http://"+addr+"/v1/"+credentials.DevK5Tenant+path, nil, map[string]string{"X-Auth-Token": "k5-ci"}).r)
		}
		if status, body := get("/secrets/" + id); status != 200 {
			t.Errorf("metadata: %d %s", status, body)
		}
		if status, body := get("/secrets/" + id + "/payload"); status != 403 {
			t.Errorf("payload under an explicit deny: %d %s", status, body)
		}
		denied = append(denied, denial{"k5:GetSecretPayload", id})
		if status, body := get("/secrets"); status != 403 {
			t.Errorf("list under an explicit deny: %d %s", status, body)
		}
		denied = append(denied, denial{"k5:ListSecrets", "*"})
	})

	var got []denial
	for _, e := range trail.events(t) {
		if e["outcome"] == audit.OutcomeDenied {
			got = append(got, denial{e["action"].(string), e["resource"].(string)})
		}
	}
	if len(got) != len(denied) {
		t.Fatalf("denied events %v, want %v", got, denied)
	}
	for i := range got {
		if got[i] != denied[i] {
			t.Errorf("denied event %d = %v, want %v", i, got[i], denied[i])
		}
	}
}
