package localserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
)

// TestRolesAndACLsDecideWithThePolicy: a refusal by a Keystone token's roles or by a private
// secret's ACL is the policy decision's refusal: Barbican's 403 in its envelope, as before, and
// one audit event with outcome denied, the action and the resource, as a refusal by a
// credential's policy statement leaves. A secret that is not there is still the 404 of an
// unknown id, without a denial.
func TestRolesAndACLsDecideWithThePolicy(t *testing.T) {
	data := localdatatest.Open(t)
	trail := &lockedBuffer{}
	svc := quietServices(data.Store, data.Sealer, keystoneBook(t))
	svc.audit = audit.NewWriter(trail)
	srv := httptest.NewServer(newMux(svc))
	t.Cleanup(srv.Close)
	call := func(method, path, token, body string) (int, string) {
		t.Helper()
		r, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if token != "" {
			r.Header.Set("X-Auth-Token", token)
		}
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		status, b := do(t, r)
		return status, string(b)
	}
	token := func(user, password string) string {
		t.Helper()
		r, _ := http.NewRequest("POST", srv.URL+"/v3/auth/tokens", strings.NewReader(`{"auth":{"identity":{"methods":["password"],
			"password":{"user":{"name":"`+user+`","domain":{"id":"default"},"password":"`+password+`"}}}}}`))
		r.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 || resp.Header.Get("X-Subject-Token") == "" {
			t.Fatalf("token for %s: %d", user, resp.StatusCode)
		}
		return resp.Header.Get("X-Subject-Token")
	}
	reader, member := token("reader", readerPassword), token("member", readerPassword)
	// A private secret of the static token's (no creator) listing nobody.
	status, body := call("POST", "/v1/secrets", credentials.DevK5Token, `{"name":"private","payload":"cHJpdmF0ZQ==","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`)
	var created struct {
		SecretRef string `json:"secret_ref"`
	}
	if status != 201 || json.Unmarshal([]byte(body), &created) != nil {
		t.Fatalf("create: %d %s", status, body)
	}
	id := created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]
	if status, body := call("PUT", "/v1/secrets/"+id+"/acl", credentials.DevK5Token, `{"read":{"project-access":false}}`); status != 200 {
		t.Fatalf("ACL: %d %s", status, body)
	}
	const tenant = "/v1/" + credentials.DevK5Tenant
	const unknown = "11111111-1111-4111-8111-111111111111"
	tests := []struct {
		name, method, path, token, body string
		status                          int
		description, action, resource   string // action "": no denial
	}{
		{"a reader's create (roles, before any read)", "POST", "/v1/secrets", reader, `{"name":"r"}`,
			403, "Secret creation attempt not allowed - please review your user/project privileges", "barbican:CreateSecret", "*"},
		{"a reader's list (roles)", "GET", tenant + "/secrets", reader, "",
			403, "Secret(s) retrieval attempt not allowed - please review your user/project privileges", "k5:ListSecrets", "*"},
		{"a reader's read the ACL does not open to them (roles)", "GET", "/v1/secrets/" + id, reader, "",
			403, "Secret retrieval attempt not allowed - please review your user/project privileges", "barbican:GetSecret", id},
		{"a member's payload read of a private secret (ACL)", "GET", tenant + "/secrets/" + id + "/payload", member, "",
			403, "Secret payload retrieval attempt not allowed - please review your user/project privileges", "k5:GetSecretPayload", id},
		{"a member's delete of a private secret (ACL)", "DELETE", "/v1/secrets/" + id, member, "",
			403, "Secret deletion attempt not allowed - please review your user/project privileges", "barbican:DeleteSecret", id},
		{"a reader's read of a secret that is not there", "GET", "/v1/secrets/" + unknown, reader, "",
			404, "Secret not found.", "", unknown},
	}
	for _, tt := range tests {
		before := len(trail.events(t))
		status, body := call(tt.method, tt.path, tt.token, tt.body)
		var env struct {
			Code        int    `json:"code"`
			Title       string `json:"title"`
			Description string `json:"description"`
		}
		if status != tt.status || json.Unmarshal([]byte(body), &env) != nil || env.Code != tt.status || env.Description != tt.description {
			t.Errorf("%s: %d %s, want %d %q", tt.name, status, body, tt.status, tt.description)
		}
		events := trail.events(t)
		e := events[len(events)-1]
		wantOutcome := map[bool]string{true: audit.OutcomeDenied, false: "Not Found"}[tt.action != ""]
		if len(events) != before+1 || e["outcome"] != wantOutcome || e["resource"] != tt.resource || e["status"] != float64(tt.status) ||
			(e["action"] != tt.action && !(tt.action == "" && e["action"] == nil)) {
			t.Errorf("%s: event %v, want outcome %s, action %q, resource %q", tt.name, e, wantOutcome, tt.action, tt.resource)
		}
	}
	if status, _ := call("GET", "/v1/secrets/"+id+"/payload", credentials.DevK5Token, ""); status != 200 {
		t.Errorf("the static token lost its project's reach: %d", status)
	}
}
