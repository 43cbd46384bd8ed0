package localserver

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/sign/acs3"
	"keyport/shared/sign/tc3"
)

// sent is one request of the audit test, with the secret material it carries.
type sent struct {
	r       *http.Request
	secrets []string // every value the audit trail must never hold
}

// wantEvent is the audit event one request must leave. resource "*" means any non-empty id.
type wantEvent struct {
	dialect, operation, principal, account, resource, outcome string
	status                                                    int
}

// noResource marks a refusal: the event names no resource.
const noResource = ""

// TestAuditTrail sends every operation's successes and refusals (bad signature, unknown key or
// token, validation error, wrong method, a tenant the caller may not reach) through the real
// server, one at a time, and checks that each leaves exactly one audit event with the right
// fields, on the audit stream only, and that no secret sent (secret values, signatures,
// tokens, signing keys, request bodies) appears in any event.
func TestAuditTrail(t *testing.T) {
	dir := t.TempDir()
	trailPath := filepath.Join(dir, "trail.jsonl")
	addr, logs, stopServer := startServerWith(t, config{storeKind: "bolt", keyLimit: 500, auditPath: trailPath})
	stop := sync.OnceFunc(stopServer)
	defer stop()
	key := credentials.Dev().AuditKey()
	bearer := func(token string) string { return audit.BearerPrincipal(key, token) }
	badToken := randomSecret(t, "tok_")
	wrongSecret := randomSecret(t, "wrongkey_")
	var gcoreTask string // the task the Gcore create answers, read back by the get-task case

	tests := []struct {
		name string
		req  func(t *testing.T) sent
		want wantEvent
	}{
		{"tencent CreateApiKey", func(t *testing.T) sent {
			return tencentReq(t, addr, "apigateway", "2018-08-08", "CreateApiKey", credentials.DevTencentSecretKey,
				map[string]any{"SecretName": "audit_1", "AccessKeyType": "manual", "AccessKeyId": "auditkey_1", "AccessKeySecret": "$SECRET"})
		}, wantEvent{"tencent", "tencent.CreateApiKey", credentials.DevTencentSecretID, credentials.DevTencentAccount, "auditkey_1", "OK", 200}},
		{"tencent CreateApiKey, bad signature", func(t *testing.T) sent {
			return tencentReq(t, addr, "apigateway", "2018-08-08", "CreateApiKey", wrongSecret,
				map[string]any{"SecretName": "audit_2", "AccessKeyType": "manual", "AccessKeyId": "auditkey_2", "AccessKeySecret": "$SECRET"})
		}, wantEvent{"tencent", "tencent.CreateApiKey", credentials.DevTencentSecretID, credentials.DevTencentAccount, noResource, "AuthFailure.SignatureFailure", 200}},
		{"tencent CreateApiKey, unknown SecretId", func(t *testing.T) sent {
			s := tencentReq(t, addr, "apigateway", "2018-08-08", "CreateApiKey", wrongSecret, map[string]any{"SecretName": "audit_3"})
			resign(t, s.r, "AKIDauditUnknown", wrongSecret, "apigateway")
			return s
		}, wantEvent{"tencent", "tencent.CreateApiKey", "AKIDauditUnknown", "", noResource, "AuthFailure.SecretIdNotFound", 200}},
		{"tencent CreateApiKey, validation error", func(t *testing.T) sent {
			return tencentReq(t, addr, "apigateway", "2018-08-08", "CreateApiKey", credentials.DevTencentSecretKey,
				map[string]any{"AccessKeyType": "manual", "AccessKeyId": "auditkey_4", "AccessKeySecret": "$SECRET"})
		}, wantEvent{"tencent", "tencent.CreateApiKey", credentials.DevTencentSecretID, credentials.DevTencentAccount, noResource, "MissingParameter", 200}},
		{"tencent, wrong method (no action resolved)", func(t *testing.T) sent {
			return plainReq(t, http.MethodPut, "http://"+addr+"/", nil, nil) // a GET / is OpenStack discovery
		}, wantEvent{"tencent", "tencent.apigateway", "", "", noResource, "UnsupportedProtocol", 200}},
		{"tencent, unknown action", func(t *testing.T) sent {
			return tencentReq(t, addr, "apigateway", "2018-08-08", "DeleteEverything", credentials.DevTencentSecretKey, map[string]any{})
		}, wantEvent{"tencent", "tencent.apigateway", "", "", noResource, "InvalidAction", 200}},
		{"tencent CreateMultiPathGatewaySecretKey", func(t *testing.T) sent {
			return tencentReq(t, addr, "teo", "2022-09-01", "CreateMultiPathGatewaySecretKey", credentials.DevTencentSecretKey,
				map[string]any{"ZoneId": "zone-audit1", "SecretKey": "$TEOKEY"})
		}, wantEvent{"tencent", "tencent.CreateMultiPathGatewaySecretKey", credentials.DevTencentSecretID, credentials.DevTencentAccount, "zone-audit1", "OK", 200}},

		{"alibaba CreateSecret", func(t *testing.T) sent {
			return alibabaReq(t, addr, credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret, "audit_1", "$SECRET")
		}, wantEvent{"alibaba", "alibaba.CreateSecret", credentials.DevAlibabaKeyID, credentials.DevAlibabaAccount, "*", "Ok", 200}},
		{"alibaba CreateSecret, bad signature", func(t *testing.T) sent {
			return alibabaReq(t, addr, credentials.DevAlibabaKeyID, wrongSecret, "audit_2", "$SECRET")
		}, wantEvent{"alibaba", "alibaba.CreateSecret", credentials.DevAlibabaKeyID, credentials.DevAlibabaAccount, noResource, "SignatureDoesNotMatch", 403}},
		{"alibaba CreateSecret, unknown AccessKeyId", func(t *testing.T) sent {
			return alibabaReq(t, addr, "LTAIauditUnknown", wrongSecret, "audit_3", "$SECRET")
		}, wantEvent{"alibaba", "alibaba.CreateSecret", "LTAIauditUnknown", "", noResource, "InvalidAccessKeyId.NotFound", 404}},
		{"alibaba CreateSecret, validation error", func(t *testing.T) sent {
			return alibabaReq(t, addr, credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret, "", "$SECRET")
		}, wantEvent{"alibaba", "alibaba.CreateSecret", credentials.DevAlibabaKeyID, credentials.DevAlibabaAccount, noResource, "MissingParameter", 400}},
		{"alibaba, wrong method", func(t *testing.T) sent {
			return plainReq(t, http.MethodPatch, "http://"+addr+"/v1/secrets", nil, nil)
		}, wantEvent{"alibaba", "alibaba.unrouted", "", "", noResource, "UnsupportedOperation", 405}},

		{"gcore create secret", func(t *testing.T) sent {
			return gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey, "$SECRET")
		}, wantEvent{"gcore", "gcore.CreateSecret", bearer(credentials.DevGcoreAPIKey), "1", "*", "OK", 200}},
		{"gcore get task", func(t *testing.T) sent {
			return gcoreReq(t, addr, http.MethodGet, "/cloud/v1/tasks/"+gcoreTask, credentials.DevGcoreAPIKey, "")
		}, wantEvent{"gcore", "gcore.GetTask", bearer(credentials.DevGcoreAPIKey), "1", "*", "OK", 200}},
		{"gcore create secret, unknown token", func(t *testing.T) sent {
			return gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/1/76", badToken, "$SECRET")
		}, wantEvent{"gcore", "gcore.CreateSecret", bearer(badToken), "", noResource, "AuthenticationFailed", 401}},
		{"gcore create secret, project not granted", func(t *testing.T) sent {
			return gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/2/76", credentials.DevGcoreAPIKey, "$SECRET")
		}, wantEvent{"gcore", "gcore.CreateSecret", bearer(credentials.DevGcoreAPIKey), "2", noResource, "NotFoundError", 404}},
		{"gcore create secret, validation error", func(t *testing.T) sent {
			s := gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey, "$SECRET")
			setBody(s.r, []byte(`{"name":"","payload":"`+base64.StdEncoding.EncodeToString([]byte(s.secrets[0]))+`"}`))
			return s
		}, wantEvent{"gcore", "gcore.CreateSecret", bearer(credentials.DevGcoreAPIKey), "1", noResource, "ValidationError", 400}},
		{"gcore create secret, wrong method", func(t *testing.T) sent {
			return gcoreReq(t, addr, http.MethodPut, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey, "")
		}, wantEvent{"gcore", "gcore.unrouted", "", "", noResource, "HTTPError", 405}},

		{"k5 create secret", func(t *testing.T) sent {
			return k5Req(t, addr, http.MethodPost, credentials.DevK5Tenant, credentials.DevK5Token, "opaque")
		}, wantEvent{"k5", "k5.CreateSecret", bearer(credentials.DevK5Token), credentials.DevK5Tenant, "*", "Created", 201}},
		{"k5 create secret, unknown token", func(t *testing.T) sent {
			return k5Req(t, addr, http.MethodPost, credentials.DevK5Tenant, badToken, "opaque")
		}, wantEvent{"k5", "k5.CreateSecret", bearer(badToken), "", noResource, "Unauthorized", 401}},
		{"k5 create secret, another tenant", func(t *testing.T) sent {
			return k5Req(t, addr, http.MethodPost, "0123456789abcdef0123456789abcdef", credentials.DevK5Token, "opaque")
		}, wantEvent{"k5", "k5.CreateSecret", bearer(credentials.DevK5Token), credentials.DevK5Tenant, noResource, "Forbidden", 403}},
		{"k5 create secret, validation error", func(t *testing.T) sent {
			return k5Req(t, addr, http.MethodPost, credentials.DevK5Tenant, credentials.DevK5Token, "no-such-type")
		}, wantEvent{"k5", "k5.CreateSecret", bearer(credentials.DevK5Token), credentials.DevK5Tenant, noResource, "Bad Request", 400}},
		{"k5, wrong method", func(t *testing.T) sent {
			return k5Req(t, addr, http.MethodPatch, credentials.DevK5Tenant, credentials.DevK5Token, "")
		}, wantEvent{"k5", "k5.unrouted", "", "", noResource, "Method Not Allowed", 405}},
		{"k5 list secrets", func(t *testing.T) sent {
			return plainReq(t, http.MethodGet, "http://"+addr+"/v1/"+credentials.DevK5Tenant+"/secrets", nil,
				map[string]string{"X-Auth-Token": credentials.DevK5Token})
		}, wantEvent{"k5", "k5.ListSecrets", bearer(credentials.DevK5Token), credentials.DevK5Tenant, noResource, "OK", 200}},

		{"no dialect", func(t *testing.T) sent {
			return plainReq(t, http.MethodGet, "http://"+addr+"/nowhere", nil, nil)
		}, wantEvent{"keyport", "keyport.unrouted", "", "", noResource, "NotFound", 404}},
	}

	var secrets []string
	client := &http.Client{Timeout: 10 * time.Second}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.req(t)
			secrets = append(secrets, s.secrets...)
			start := time.Now().Add(-time.Second)
			resp, err := client.Do(s.r)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if tt.want.operation == "gcore.CreateSecret" && resp.StatusCode == http.StatusOK {
				var created struct{ Tasks []string }
				_ = json.Unmarshal(body, &created)
				if len(created.Tasks) == 1 {
					gcoreTask = created.Tasks[0]
				}
			}
			events := waitForEvents(t, trailPath, i+1)
			e := events[i]
			checkEvent(t, e, tt.want, start)
			if id := responseRequestID(resp.Header, body); id != "" && e["request_id"] != id {
				t.Errorf("request_id: got %v, the response said %q", e["request_id"], id)
			}
			if tt.want.operation == "gcore.GetTask" && e["resource"] != gcoreTask {
				t.Errorf("resource: got %v, want the task %s", e["resource"], gcoreTask)
			}
		})
	}
	stop() // every event is written before the trail is scanned whole

	trail, err := os.ReadFile(trailPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(readEvents(t, trail)); n != len(tests) {
		t.Errorf("got %d audit events for %d requests, want exactly one each", n, len(tests))
	}
	if strings.Contains(logs.String(), `"log_type"`) {
		t.Errorf("audit events leaked into the request log")
	}
	for _, s := range append(secrets, credentials.DevTencentSecretKey, credentials.DevAlibabaSecret,
		credentials.DevGcoreAPIKey, credentials.DevK5Token, badToken, wrongSecret) {
		if s != "" && bytes.Contains(trail, []byte(s)) {
			t.Errorf("the audit trail holds secret material sent (%.12s…)", s)
		}
	}
}

// checkEvent compares an event's fields with want.
func checkEvent(t *testing.T, e map[string]any, want wantEvent, start time.Time) {
	t.Helper()
	for field, w := range map[string]string{"log_type": "audit", "dialect": want.dialect, "operation": want.operation,
		"principal": want.principal, "account": want.account, "outcome": want.outcome, "source": "127.0.0.1"} {
		if e[field] != w {
			t.Errorf("%s: got %v, want %q", field, e[field], w)
		}
	}
	if got, _ := e["resource"].(string); (want.resource == "*" && got == "") || (want.resource != "*" && got != want.resource) {
		t.Errorf("resource: got %q, want %q", got, want.resource)
	}
	if e["status"] != float64(want.status) {
		t.Errorf("status: got %v, want %d", e["status"], want.status)
	}
	if id, _ := e["request_id"].(string); id == "" {
		t.Errorf("got no request_id")
	}
	at, err := time.Parse(time.RFC3339Nano, e["time"].(string))
	if err != nil || at.Before(start) || at.After(time.Now()) {
		t.Errorf("time: got %v (%v), want the request's arrival", e["time"], err)
	}
}

// waitForEvents reads the trail until it holds n events: the event is written as the handler
// returns, which may be just after the client has its response.
func waitForEvents(t *testing.T, path string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		events := readEvents(t, b)
		if len(events) >= n || time.Now().After(deadline) {
			if len(events) != n {
				t.Fatalf("got %d audit events after %d requests, want %d", len(events), n, n)
			}
			return events
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func readEvents(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line is not JSON: %q", sc.Text())
		}
		out = append(out, e)
	}
	return out
}

// responseRequestID is the request id a response carries, wherever its wire puts it ("" when
// it carries none, as a Gcore success does not: a task's request_id is its create's).
func responseRequestID(h http.Header, body []byte) string {
	if id := h.Get("x-acs-request-id"); id != "" {
		return id
	}
	if id := h.Get("X-Openstack-Request-Id"); id != "" {
		return strings.TrimPrefix(id, "req-")
	}
	var b struct {
		Response       struct{ RequestId string }
		ExceptionClass string `json:"exception_class"`
		RequestID      string `json:"request_id"`
	}
	_ = json.Unmarshal(body, &b)
	if b.ExceptionClass == "" {
		b.RequestID = ""
	}
	return b.Response.RequestId + b.RequestID
}

// fill replaces "$SECRET" in params with a fresh secret value and "$TEOKEY" with an EdgeOne key
// made from one, returning the secrets.
func fill(t *testing.T, params map[string]any) []string {
	var secrets []string
	for k, v := range params {
		switch v {
		case "$SECRET":
			s := randomSecret(t, "Sec_")
			params[k], secrets = s, append(secrets, s, base64.StdEncoding.EncodeToString([]byte(s)))
		case "$TEOKEY":
			s := randomSecret(t, "Sec_")
			params[k], secrets = teoKey(s), append(secrets, s, teoKey(s))
		}
	}
	return secrets
}

// tencentReq is a TC3-signed Tencent call by the development SecretId, signed with secretKey.
func tencentReq(t *testing.T, addr, service, version, action, secretKey string, params map[string]any) sent {
	t.Helper()
	secrets := fill(t, params)
	body, _ := json.Marshal(params)
	r, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-TC-Action", action)
	r.Header.Set("X-TC-Version", version)
	r.Header.Set("X-TC-Region", "ap-guangzhou")
	resign(t, r, credentials.DevTencentSecretID, secretKey, service)
	return sent{r, append(secrets, string(body), r.Header.Get("Authorization"), signatureOf(r))}
}

// resign (re)signs a Tencent request as secretID with secretKey, now.
func resign(t *testing.T, r *http.Request, secretID, secretKey, service string) {
	t.Helper()
	body, _ := io.ReadAll(r.Body)
	setBody(r, body)
	now := time.Now()
	r.Header.Set("X-TC-Timestamp", strconv.FormatInt(now.Unix(), 10))
	auth, err := tc3.Sign(secretID, secretKey, service, now, nil, tc3.FromHTTP(r, body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", auth)
}

// alibabaReq is an ACS3-signed APIG CreateSecret as accessKeyID with secret; an empty name
// makes it invalid.
func alibabaReq(t *testing.T, addr, accessKeyID, secret, name, value string) sent {
	t.Helper()
	params := map[string]any{"secretData": value}
	secrets := fill(t, params)
	params["gatewayType"], params["secretSource"] = "API", "KMS"
	params["kmsConfig"] = map[string]string{"kmsInstanceId": "kst-1", "kmsKeyId": "key-1"}
	if name != "" {
		params["name"] = name
	}
	body, _ := json.Marshal(params)
	r, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/secrets", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	r.Header.Set("x-acs-action", "CreateSecret")
	r.Header.Set("x-acs-version", "2024-03-27")
	r.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	r.Header.Set("x-acs-signature-nonce", hex.EncodeToString(nonce[:]))
	acs3.Sign(r, body, accessKeyID, secret)
	return sent{r, append(secrets, string(body), secret, r.Header.Get("Authorization"), signatureOf(r))}
}

// gcoreReq is a Gcore call with an API key; a non-empty value makes it a create-secret body.
func gcoreReq(t *testing.T, addr, method, path, token, value string) sent {
	t.Helper()
	var body []byte
	var secrets []string
	if value != "" {
		params := map[string]any{"payload": value}
		secrets = fill(t, params)
		params["payload"] = base64.StdEncoding.EncodeToString([]byte(params["payload"].(string)))
		params["name"], params["payload_content_encoding"], params["payload_content_type"], params["secret_type"] =
			"audit", "base64", "application/octet-stream", "opaque"
		body, _ = json.Marshal(params)
	}
	s := plainReq(t, method, "http://"+addr+path, body, map[string]string{
		"Authorization": "APIKey " + token, "Content-Type": "application/json"})
	s.secrets = append(s.secrets, secrets...)
	return s
}

// k5Req is a Barbican create secret in tenant with an X-Auth-Token.
func k5Req(t *testing.T, addr, method, tenant, token, secretType string) sent {
	t.Helper()
	params := map[string]any{"payload": "$SECRET"}
	secrets := fill(t, params)
	params["payload"] = base64.StdEncoding.EncodeToString([]byte(params["payload"].(string)))
	params["name"], params["payload_content_type"], params["payload_content_encoding"], params["secret_type"] =
		"audit", "application/octet-stream", "base64", secretType
	body, _ := json.Marshal(params)
	s := plainReq(t, method, "http://"+addr+"/v1/"+tenant+"/secrets", body, map[string]string{
		"X-Auth-Token": token, "Content-Type": "application/json"})
	s.secrets = append(s.secrets, secrets...)
	return s
}

// plainReq is an unsigned request; its body and every header value count as secret material.
func plainReq(t *testing.T, method, url string, body []byte, headers map[string]string) sent {
	t.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	s := sent{r: r}
	if len(body) > 0 {
		s.secrets = append(s.secrets, string(body))
	}
	for k, v := range headers {
		r.Header.Set(k, v)
		if k != "Content-Type" {
			s.secrets = append(s.secrets, v)
		}
	}
	return s
}

func setBody(r *http.Request, body []byte) {
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
}

// signatureOf is the Signature= part of an Authorization header.
func signatureOf(r *http.Request) string {
	_, sig, _ := strings.Cut(r.Header.Get("Authorization"), "Signature=")
	return sig
}
