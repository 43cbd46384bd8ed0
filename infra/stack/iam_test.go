package stack_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// statement is one decoded IAM policy statement, Action normalised to a
// sorted list.
type statement struct {
	Sid       string
	Effect    string
	Actions   []string
	Resource  any
	Condition any
}

func decodeStatements(t *testing.T, doc any) []statement {
	t.Helper()
	raw, _ := doc.(map[string]any)["Statement"].([]any)
	var out []statement
	for _, r := range raw {
		m := r.(map[string]any)
		s := statement{Effect: str(m["Effect"]), Resource: m["Resource"], Condition: m["Condition"]}
		s.Sid = str(m["Sid"])
		switch a := m["Action"].(type) {
		case string:
			s.Actions = []string{a}
		case []any:
			for _, x := range a {
				s.Actions = append(s.Actions, str(x))
			}
		}
		sort.Strings(s.Actions)
		out = append(out, s)
	}
	return out
}

func str(v any) string { s, _ := v.(string); return s }

// TestRolePolicies checks every statement of every function role exactly:
// actions, the one resource, and the encryption-context condition.
func TestRolePolicies(t *testing.T) {
	f := defaultFixture(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	keyID, _ := f.only(t, "AWS::KMS::Key")
	secretID, _ := f.only(t, "AWS::SecretsManager::Secret")
	for _, w := range wantFunctions {
		t.Run(w.name, func(t *testing.T) {
			logsID, _ := f.byPath(t, w.name+"-logs")
			_, role := f.byPath(t, w.name+"-role")
			if _, ok := role.Properties["ManagedPolicyArns"]; ok {
				t.Errorf("role has managed policies %s, want none", js(role.Properties["ManagedPolicyArns"]))
			}
			trust := decodeStatements(t, role.Properties["AssumeRolePolicyDocument"])
			if len(trust) != 1 || !reflect.DeepEqual(trust[0].Actions, []string{"sts:AssumeRole"}) {
				t.Errorf("trust policy = %+v, want one sts:AssumeRole", trust)
			}
			policies, _ := role.Properties["Policies"].([]any)
			if len(policies) != 1 {
				t.Fatalf("got %d inline policies, want 1", len(policies))
			}
			got := decodeStatements(t, policies[0].(map[string]any)["PolicyDocument"])
			want := []statement{
				{"WriteOwnLogs", "Allow", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, getAtt(logsID, "Arn"), nil},
				{"ReadCredentials", "Allow", []string{"secretsmanager:GetSecretValue"}, ref(secretID), nil},
			}
			if len(w.table) > 0 {
				var table any = getAtt(tableID, "Arn")
				if w.lists {
					// The table and its three local indexes, which List and Count query.
					table = []any{table, indexArn(tableID, "by_created"), indexArn(tableID, "by_expiry"), indexArn(tableID, "by_attr")}
				}
				want = append(want, statement{"Records", "Allow", w.table, table,
					map[string]any{"ForAllValues:StringLike": map[string]any{"dynamodb:LeadingKeys": leadingKeys(w)}}})
			}
			want = append(want, statement{"Trace", "Allow", []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"}, "*", nil})
			ownService := map[string]any{"StringEquals": map[string]any{"kms:EncryptionContext:service": w.service}}
			if w.seals {
				want = append(want, statement{"SealOwnService", "Allow", []string{"kms:GenerateDataKey"}, getAtt(keyID, "Arn"), ownService})
			}
			if w.opens {
				want = append(want, statement{"OpenOwnService", "Allow", []string{"kms:Decrypt"}, getAtt(keyID, "Arn"), ownService})
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("statements:\n got %s\nwant %s", js(got), js(want))
			}
		})
	}
}

// TestNoWildcards walks every IAM document in the template: no action and
// no resource may contain "*", except the resource of X-Ray's tracing calls.
func TestNoWildcards(t *testing.T) {
	f := defaultFixture(t)
	for id, r := range f.doc.Resources {
		var docs []any
		switch r.Type {
		case "AWS::IAM::Role":
			policies, _ := r.Properties["Policies"].([]any)
			for _, p := range policies {
				docs = append(docs, p.(map[string]any)["PolicyDocument"])
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			docs = append(docs, r.Properties["PolicyDocument"])
		}
		for _, d := range docs {
			for _, s := range decodeStatements(t, d) {
				for _, a := range s.Actions {
					if strings.Contains(a, "*") {
						t.Errorf("%s: action %q has a wildcard", id, a)
					}
				}
				if strings.Contains(js(s.Resource), "*") && !xrayOnly(s.Actions) {
					t.Errorf("%s: resource %s has a wildcard", id, js(s.Resource))
				}
			}
		}
	}
}

// xrayOnly reports whether actions are only the X-Ray calls of Lambda active
// tracing, which take no resource but "*".
func xrayOnly(actions []string) bool {
	for _, a := range actions {
		if a != "xray:PutTraceSegments" && a != "xray:PutTelemetryRecords" {
			return false
		}
	}
	return len(actions) > 0
}

// indexArn is how the template spells the ARN of the table's index name.
func indexArn(tableID, name string) any {
	return map[string]any{"Fn::Join": []any{"", []any{getAtt(tableID, "Arn"), "/index/" + name}}}
}

// leadingKeys is the condition value as the template holds it.
func leadingKeys(w wantFunction) []any {
	out := make([]any, len(w.leading))
	for i, l := range w.leading {
		out[i] = l
	}
	return out
}
