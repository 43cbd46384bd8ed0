//go:build invoke

package invoke

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/shared/credentials"
)

// policyCase is one function's event under two credentials documents that differ only in
// what they let the event's credential do: allow answers it, deny refuses it.
type policyCase struct {
	function         string
	allow, deny      func(doc map[string]any) // edit the development document
	answered         func(*testing.T, awsevents.APIGatewayV2HTTPResponse, *chained)
	refused          func(*testing.T, awsevents.APIGatewayV2HTTPResponse, *chained)
	action, resource string // of the denied audit event
	keystone         bool   // the event's X-Auth-Token becomes a Keystone token of the development user
}

// withPolicy sets the policy of the first credential of the document's entry list.
func withPolicy(list, policy string) func(map[string]any) {
	return func(doc map[string]any) {
		entry := doc[list].([]any)[0].(map[string]any)
		entry["policy"] = json.RawMessage(policy)
	}
}

// withRoles gives the development user only roles on its project.
func withRoles(roles ...string) func(map[string]any) {
	return func(doc map[string]any) {
		project := doc["users"].([]any)[0].(map[string]any)["projects"].([]any)[0].(map[string]any)
		project["roles"] = roles
	}
}

func unchanged(map[string]any) {}

// TestPolicyDecisionInvoked: the one policy decision in the built Lambdas, for one function
// of each dialect: the same credential (the events are signed with the development keys) is
// answered under a document whose policy allows the event's request, and refused under one
// whose policy denies it, with the vendor's refusal and one audit event on the function's
// output with outcome denied, the action and the resource. For the key manager, a static K5
// token's policy statement and a Keystone token's roles (Barbican's default policy) refuse
// through the same decision. The identity service's operations (tokens, version documents)
// take no policy: no action names them.
func TestPolicyDecisionInvoked(t *testing.T) {
	h := newHarness(t, devDocument(t))
	barbicanRefusal := func(action string) func(*testing.T, awsevents.APIGatewayV2HTTPResponse, *chained) {
		return func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
			m := body(t, resp, http.StatusForbidden, "application/json")
			if m["code"] != float64(403) || m["title"] != "Forbidden" || m["description"] != action+" attempt not allowed - please review your user/project privileges" {
				t.Errorf("got %s, want Barbican's 403 for %s", resp.Body, action)
			}
		}
	}
	cases := []policyCase{
		{function: "tencent-apigateway",
			allow:    withPolicy("tencent", `[{"effect":"allow","actions":["tencent:CreateApiKey"],"resources":["*"]}]`),
			deny:     withPolicy("tencent", `[{"effect":"allow","actions":["tencent:Describe*"],"resources":["*"]}]`),
			answered: checkCreateAPIKey, refused: checkTencentCode("UnauthorizedOperation"),
			action: "tencent:CreateApiKey", resource: "*"},
		{function: "alibaba-createsecret",
			allow:    withPolicy("alibaba", `[{"effect":"allow","actions":["alibaba:*"],"resources":["*"]}]`),
			deny:     withPolicy("alibaba", `[{"effect":"allow","actions":["alibaba:*"],"resources":["*"]},{"effect":"deny","actions":["alibaba:CreateSecret"],"resources":["*"]}]`),
			answered: checkAlibaba, refused: func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
				m := body(t, resp, http.StatusForbidden, "application/json")
				wantString(t, m, "code", regexp.MustCompile(`^Forbidden$`))
			},
			action: "alibaba:CreateSecret", resource: "*"},
		{function: "gcore-createsecret",
			allow:    withPolicy("gcore", `[{"effect":"allow","actions":["gcore:CreateSecret"],"resources":["1/*"]}]`),
			deny:     withPolicy("gcore", `[{"effect":"allow","actions":["gcore:CreateSecret"],"resources":["1/77/*"]}]`),
			answered: checkGcoreTasks, refused: func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
				m := body(t, resp, http.StatusForbidden, "application/json")
				wantString(t, m, "exception_class", regexp.MustCompile(`^PermissionDenied$`))
			},
			action: "gcore:CreateSecret", resource: "1/76/*"},
		{function: "k5-createsecret",
			allow:    withPolicy("k5", `[{"effect":"allow","actions":["k5:CreateSecret"],"resources":["*"]}]`),
			deny:     withPolicy("k5", `[{"effect":"allow","actions":["k5:*"],"resources":["*"]},{"effect":"deny","actions":["k5:Create*"],"resources":["*"]}]`),
			answered: checkK5, refused: barbicanRefusal("Secret creation"),
			action: "k5:CreateSecret", resource: "*"},
		{function: "barbican-createsecret", keystone: true,
			allow: unchanged, deny: withRoles("reader"),
			answered: checkBarbicanCreate, refused: barbicanRefusal("Secret creation"),
			action: "barbican:CreateSecret", resource: "*"},
	}
	for _, tc := range cases {
		t.Run(tc.function, func(t *testing.T) {
			for _, allowed := range []bool{true, false} {
				edit := map[bool]func(map[string]any){true: tc.allow, false: tc.deny}[allowed]
				doc := editedDocument(t, edit)
				arn := newSecret(t, h.moto, "keyport-credentials-policy-"+randomSuffix(), doc)
				e := h.start(t, tc.function, map[string]string{"KEYPORT_CREDENTIALS_SECRET_ARN": arn})
				event := signedEvent(t, tc.function)
				if tc.keystone {
					event = replaceAll(event, `"x-auth-token": "`+credentials.DevK5Token+`"`, `"x-auth-token": "`+keystoneToken(t, doc)+`"`)
				}
				resp, _ := invoke(t, e, event)
				e.p.stop() // so its output is complete
				events := auditEvents(e.p.out.String())
				if len(events) != 1 {
					t.Fatalf("allowed %v: got %d audit events, want 1; output:\n%s", allowed, len(events), e.p.out.String())
				}
				ev := events[0]
				if allowed {
					tc.answered(t, resp, &chained{})
					if ev["outcome"] == "denied" || ev["action"] != nil {
						t.Errorf("allowed: got audit event %v, want no denial", ev)
					}
					continue
				}
				tc.refused(t, resp, &chained{})
				if ev["outcome"] != "denied" || ev["action"] != tc.action || ev["resource"] != tc.resource || ev["status"] != float64(resp.StatusCode) {
					t.Errorf("denied: got audit event %v, want outcome denied, action %s, resource %s, status %d", ev, tc.action, tc.resource, resp.StatusCode)
				}
			}
		})
	}
}

// editedDocument is the development document after edit.
func editedDocument(t *testing.T, edit func(map[string]any)) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(devDocument(t)), &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := credentials.Parse(b); err != nil {
		t.Fatalf("edited document does not parse: %v", err)
	}
	return string(b)
}

// keystoneToken seals a token of document's development user on its project with the
// document's token key, as identity-issuetoken would issue one.
func keystoneToken(t *testing.T, document string) string {
	t.Helper()
	book, err := credentials.Parse([]byte(document))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok, err := book.SealToken(credentials.Token{User: credentials.DevUserID, Project: credentials.DevK5Tenant,
		Methods: []string{"password"}, Issued: now, Expires: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// auditEvents are the audit events a function wrote on its output.
func auditEvents(out string) []map[string]any {
	var events []map[string]any
	for line := range strings.Lines(out) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["log_type"] == "audit" {
			events = append(events, rec)
		}
	}
	return events
}
