package localserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/functions"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
	"keyport/shared/policy"
	"keyport/shared/sign/acs3"
)

// tableOp is one operation of the policy table: its row, its action and how to call it.
type tableOp struct {
	row     operation.Row
	action  string
	dialect string
	named   bool // the request names an existing resource (else the resource is policy.Any or a Gcore project/region's)
}

// tencentTableParams are the parameters of each Tencent action for a resource r (its
// AccessKeyId or ZoneId). An action missing here fails the table.
var tencentTableParams = map[string]func(r string) map[string]any{
	"CreateApiKey":                      func(string) map[string]any { return map[string]any{"SecretName": "tbl", "AccessKeyType": "auto"} },
	"DeleteApiKey":                      func(r string) map[string]any { return map[string]any{"AccessKeyId": r} },
	"DescribeApiKey":                    func(r string) map[string]any { return map[string]any{"AccessKeyId": r} },
	"DisableApiKey":                     func(r string) map[string]any { return map[string]any{"AccessKeyId": r} },
	"EnableApiKey":                      func(r string) map[string]any { return map[string]any{"AccessKeyId": r} },
	"UpdateApiKey":                      func(r string) map[string]any { return map[string]any{"AccessKeyId": r} },
	"DescribeApiKeysStatus":             func(string) map[string]any { return map[string]any{} },
	"CreateMultiPathGatewaySecretKey":   func(r string) map[string]any { return map[string]any{"ZoneId": r, "SecretKey": "$TEOKEY"} },
	"ModifyMultiPathGatewaySecretKey":   func(r string) map[string]any { return map[string]any{"ZoneId": r, "SecretKey": "$TEOKEY"} },
	"DescribeMultiPathGatewaySecretKey": func(r string) map[string]any { return map[string]any{"ZoneId": r} },
	"RefreshMultiPathGatewaySecretKey":  func(r string) map[string]any { return map[string]any{"ZoneId": r} },
}

// tableOps are every operation a policy may name, from functions.Operations.
func tableOps(t *testing.T) []tableOp {
	t.Helper()
	var ops []tableOp
	for _, row := range functions.Operations {
		action := policy.ActionName(row.Name)
		if !slices.Contains(policy.Actions, action) {
			continue // the identity service's operations take no policy
		}
		op := tableOp{row: row, action: action, dialect: action[:strings.IndexByte(action, ':')]}
		if op.dialect == "tencent" {
			params, ok := tencentTableParams[row.Action]
			if !ok {
				t.Fatalf("%s: no parameters in tencentTableParams", row.Name)
			}
			_, op.named = params("x")["AccessKeyId"]
			if _, zone := params("x")["ZoneId"]; zone {
				op.named = true
			}
		} else {
			op.named = strings.Contains(row.Route, "{secret_id}") || strings.Contains(row.Route, "{secretId}") ||
				strings.Contains(row.Route, "{name}") || strings.Contains(row.Route, "{task_id}")
		}
		ops = append(ops, op)
	}
	if len(ops) != len(policy.Actions) {
		t.Fatalf("the table has %d operations, policy.Actions %d", len(ops), len(policy.Actions))
	}
	return ops
}

// tableCred is one credential of the table, in op's dialect.
type tableCred struct{ id, secret string }

func tableCredFor(op tableOp, i int, kind string) tableCred {
	switch op.dialect {
	case "tencent":
		return tableCred{fmt.Sprintf("AKIDtbl%s%d", kind, i), "key" + kind + fmt.Sprint(i)}
	case "alibaba":
		return tableCred{fmt.Sprintf("LTAItbl%s%d", kind, i), "secret" + kind + fmt.Sprint(i)}
	}
	return tableCred{id: fmt.Sprintf("tbl-%s-%d", kind, i)}
}

// tableResource is the resource the policy is asked about when op is called on the id r
// (policy.Any, or a Gcore project/region's, when op names none).
func tableResource(op tableOp, r string) string {
	if op.dialect == "gcore" && strings.Contains(op.row.Route, "{project_id}") {
		if !op.named {
			r = policy.Any
		}
		return "1/76/" + r
	}
	if !op.named {
		return policy.Any
	}
	return r
}

// tableID is the id a request of op names: a custom Tencent key id or EdgeOne zone, else a
// UUID (Alibaba accepts any name, and Gcore and the key manager want UUIDs).
func tableID(op tableOp, other bool) string {
	switch {
	case op.dialect == "tencent" && op.row.Function == "tencent-teo":
		return map[bool]string{false: "zone-tblres", true: "zone-tblother"}[other]
	case op.dialect == "tencent":
		return map[bool]string{false: "tblres_r", true: "tblres_o"}[other]
	}
	return map[bool]string{false: "0b5d8f3e-1c2a-4e6f-9a7b-3c4d5e6f7a8b", true: "7e1c0a52-6b1d-4f0e-8c3a-9d2b4e5f6a7c"}[other]
}

// tableRequest is op called by cred on the id r.
func tableRequest(t *testing.T, addr string, op tableOp, cred tableCred, r string) *http.Request {
	t.Helper()
	if op.dialect == "tencent" {
		service, version := "apigateway", "2018-08-08"
		if op.row.Function == "tencent-teo" {
			service, version = "teo", "2022-09-01"
		}
		s := tencentReq(t, addr, service, version, op.row.Action, credentials.DevTencentSecretKey, tencentTableParams[op.row.Action](r))
		resign(t, s.r, cred.id, cred.secret, service)
		return s.r
	}
	method, route, _ := strings.Cut(op.row.Route, " ")
	path := strings.NewReplacer("{tenant_id}", credentials.DevK5Tenant, "{project_id}", "1", "{region_id}", "76",
		"{secret_id}", r, "{secretId}", r, "{name}", r, "{task_id}", r, "{key}", "k").Replace(route)
	var body []byte
	if method != http.MethodGet && method != http.MethodDelete && method != http.MethodHead {
		body = []byte("{}")
	}
	req, err := http.NewRequest(method, "http://"+addr+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch op.dialect {
	case "alibaba":
		req.Header.Set("x-acs-action", op.row.Name[len("alibaba."):])
		req.Header.Set("x-acs-version", "2024-03-27")
		req.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
		var nonce [16]byte
		_, _ = rand.Read(nonce[:])
		req.Header.Set("x-acs-signature-nonce", hex.EncodeToString(nonce[:]))
		acs3.Sign(req, body, cred.id, cred.secret)
	case "gcore":
		req.Header.Set("Authorization", "APIKey "+cred.id)
	default:
		req.Header.Set("X-Auth-Token", cred.id)
	}
	return req
}

// TestPolicyTable is the table of issue 18: for every operation a policy may name (built from
// functions.Operations, so a new one cannot be missed), credential × resource → allowed or
// denied on the local server, and the audit event of every denial (outcome denied, the
// action, the resource). The credentials of each operation:
//   - exact: allowed the operation's action on one resource (the table's R, or the resource
//     a create or list names): allowed there, denied on another resource;
//   - denied: every action on every resource, but an explicit deny of this action on R;
//   - other: every other operation of its dialect on every resource, not this one;
//   - none: the development credential, without a policy: allowed.
//
// Allowed means the answer is not the dialect's refusal and no denied event is written; what
// the operation then answers (often the vendor's not-found, as R does not exist) is the
// operation's business. A list is allowed whenever a statement names it; its items are
// filtered (TestPolicyListsFilter).
func TestPolicyTable(t *testing.T) {
	ops := tableOps(t)
	var more credentials.Document
	for i, op := range ops {
		r := tableResource(op, tableID(op, false))
		others := []string{}
		for _, a := range policy.Actions {
			if a != op.action && strings.HasPrefix(a, op.dialect+":") {
				others = append(others, a)
			}
		}
		policies := map[string][]policy.Statement{
			"exact":  {{Effect: policy.Allow, Actions: []string{op.action}, Resources: []string{r}}},
			"denied": {{Effect: policy.Allow, Actions: []string{"*"}, Resources: []string{"*"}}, {Effect: policy.Deny, Actions: []string{op.action}, Resources: []string{r}}},
			"other":  {{Effect: policy.Allow, Actions: others, Resources: []string{"*"}}},
		}
		for kind, statements := range policies {
			p := &policy.Policy{Statements: statements}
			c := tableCredFor(op, i, kind)
			switch op.dialect {
			case "tencent":
				more.Tencent = append(more.Tencent, credentials.SigningKey{ID: c.id, Secret: c.secret, Account: credentials.DevTencentAccount, Policy: p})
			case "alibaba":
				more.Alibaba = append(more.Alibaba, credentials.SigningKey{ID: c.id, Secret: c.secret, Account: credentials.DevAlibabaAccount, Policy: p})
			case "gcore":
				more.Gcore = append(more.Gcore, credentials.GcoreKey{APIKey: c.id, Projects: []int64{1}, Policy: p})
			default:
				more.K5 = append(more.K5, credentials.K5Token{Token: c.id, Tenant: credentials.DevK5Tenant, Policy: p})
			}
		}
	}
	book := devBookPlus(t, more)
	data := localdatatest.Open(t)
	trail := &lockedBuffer{}
	svc := quietServices(data.Store, data.Sealer, book)
	svc.audit = audit.NewWriter(trail)
	srv := httptest.NewServer(newMux(svc))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	seen := 0
	cases := 0
	for i, op := range ops {
		dev := map[string]tableCred{"tencent": {credentials.DevTencentSecretID, credentials.DevTencentSecretKey},
			"alibaba": {credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret}, "gcore": {id: credentials.DevGcoreAPIKey}}[op.dialect]
		if dev.id == "" {
			dev.id = credentials.DevK5Token
		}
		type row struct {
			cred    string
			other   bool // on another resource than R
			allowed bool
		}
		table := []row{{"exact", false, true}, {"denied", false, false}, {"other", false, false}, {"none", false, true}}
		if op.named {
			table = append(table, row{"exact", true, false})
		}
		for _, tt := range table {
			cred := dev
			if tt.cred != "none" {
				cred = tableCredFor(op, i, tt.cred)
			}
			id := tableID(op, tt.other)
			name := fmt.Sprintf("%s by %s on %s", op.action, tt.cred, tableResource(op, id))
			status, body := do(t, tableRequest(t, addr, op, cred, id))
			cases++
			events := trail.events(t)
			if len(events) != seen+1 {
				t.Fatalf("%s: %d audit events, want one", name, len(events)-seen)
			}
			e := events[seen]
			seen = len(events)
			refused := refusal(op.dialect, status, body)
			switch {
			case tt.allowed && (refused || e["outcome"] == audit.OutcomeDenied):
				t.Errorf("%s: %d %s (event %v), want allowed", name, status, body, e["outcome"])
			case !tt.allowed && !refused:
				t.Errorf("%s: %d %s, want the dialect's refusal", name, status, body)
			case !tt.allowed && (e["outcome"] != audit.OutcomeDenied || e["action"] != op.action || e["resource"] != tableResource(op, id)):
				t.Errorf("%s: event %v %v %v, want denied %s on %s", name, e["outcome"], e["action"], e["resource"], op.action, tableResource(op, id))
			}
		}
	}
	t.Logf("%d operations, %d cases", len(ops), cases)
}

// refusal reports whether an answer is the dialect's policy refusal.
func refusal(dialect string, status int, body []byte) bool {
	switch dialect {
	case "tencent":
		var out struct {
			Response struct{ Error struct{ Code string } }
		}
		_ = json.Unmarshal(body, &out)
		return out.Response.Error.Code == "UnauthorizedOperation"
	case "alibaba":
		return status == 403 && bytes.Contains(body, []byte(`"Forbidden"`))
	case "gcore":
		return status == 403 && bytes.Contains(body, []byte("PermissionDenied"))
	}
	return status == 403 && bytes.Contains(body, []byte("not allowed"))
}
