package credentials

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"keyport/shared/policy"
)

// TestPolicyCheckedAtLoad: a policy is read on every kind of credential, and a malformed one
// refuses the whole document, naming the entry and the statement.
func TestPolicyCheckedAtLoad(t *testing.T) {
	const ok = `[{"effect":"allow","actions":["tencent:Describe*"],"resources":["*"]}]`
	doc := `{"tencent":[{"secretId":"AKIDa","secretKey":"k","account":"1","policy":` + ok + `},{"secretId":"AKIDb","secretKey":"k","account":"1"}],
		"alibaba":[{"accessKeyId":"LTAIa","accessKeySecret":"s","account":"1","policy":[]}],
		"gcore":[{"apiKey":"g","projects":[1],"policy":` + ok + `}],
		"k5":[{"token":"t","tenant":"p","policy":` + ok + `}]}`
	b, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := b.Tencent("AKIDa"); k.Policy == nil || len(k.Policy.Statements) != 1 {
		t.Errorf("tencent policy = %+v", k.Policy)
	}
	if k, _ := b.Alibaba("LTAIa"); k.Policy == nil || len(k.Policy.Statements) != 0 {
		t.Errorf("an empty policy (deny everything) read as %+v", k.Policy)
	}
	if g, _ := b.Gcore("g"); g.Policy == nil {
		t.Error("gcore policy lost")
	}
	if k, _ := b.K5("t"); k.Policy == nil {
		t.Error("k5 policy lost")
	}
	if n := b.Unrestricted(); n != 1 {
		t.Errorf("Unrestricted = %d, want 1 (AKIDb)", n)
	}

	bad := []struct{ doc, want string }{
		{`{"k5":[{"token":"t","tenant":"p"},{"token":"u","tenant":"p","policy":[{"effect":"allow","actions":["k5:ReadEverything"],"resources":["*"]}]}]}`,
			`k5[1].policy statement 0: action "k5:ReadEverything" names no operation`},
		{`{"gcore":[{"apiKey":"g","projects":[1],"policy":[{"effect":"allow","actions":["gcore:*"],"resources":["*"],"condition":{}}]}]}`,
			"statement 0 must be an object with only effect, actions"},
		{`{"tencent":[{"secretId":"AKIDa","secretKey":"topsecret","account":"1","policy":{"effect":"allow"}}]}`,
			"a policy is a list of statements"},
	}
	for _, tt := range bad {
		_, err := Parse([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse = %v, want it to say %q", err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "topsecret") {
			t.Errorf("the error quotes a secret: %v", err)
		}
	}
}

// TestKeystoneGrantPolicies: a token's grant carries its user's policy and, for an application
// credential's token, the credential's too, and a request must pass both.
func TestKeystoneGrantPolicies(t *testing.T) {
	pw, _ := HashPassword("pw")
	doc := Document{
		Users: []User{{ID: "u1", Name: "svc", Password: pw, Projects: []Project{{ID: "p1", Name: "one", Roles: []string{"member"}}},
			Policy: mustPolicy(t, `[{"effect":"allow","actions":["barbican:*"],"resources":["*"]},{"effect":"deny","actions":["barbican:DeleteSecret"],"resources":["*"]}]`)}},
		ApplicationCredentials: []ApplicationCredential{{ID: "ac1", Name: "reader", Secret: pw, User: "u1", Project: "p1", Roles: []string{"member"},
			Policy: mustPolicy(t, `[{"effect":"allow","actions":["barbican:GetSecret*"],"resources":["s1"]}]`)}},
		Keystone: Keystone{TokenKeys: []string{key1}},
	}
	b, err := FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	user, ok := b.Grant(Token{User: "u1", Project: "p1", Expires: now.Add(time.Hour)}, now)
	app, ok2 := b.Grant(Token{User: "u1", Project: "p1", AppCred: "ac1", Expires: now.Add(time.Hour)}, now)
	if !ok || !ok2 {
		t.Fatal("grants refused")
	}
	allowed := func(g Grant, action, resource string) bool {
		return policy.Authorize(policy.WithAction(context.Background(), action), resource, g.Policies...) == nil
	}
	for _, tt := range []struct {
		g                Grant
		action, resource string
		want             bool
	}{
		{user, "barbican:GetSecretPayload", "s2", true},
		{user, "barbican:DeleteSecret", "s1", false},
		{user, "k5:GetSecret", "s1", false},
		{app, "barbican:GetSecretPayload", "s1", true},
		{app, "barbican:GetSecretPayload", "s2", false},
		{app, "barbican:UpdateSecret", "s1", false},
	} {
		if got := allowed(tt.g, tt.action, tt.resource); got != tt.want {
			t.Errorf("%d policies, %s on %s: allowed %v, want %v", len(tt.g.Policies), tt.action, tt.resource, got, tt.want)
		}
	}
}

func mustPolicy(t *testing.T, js string) *policy.Policy {
	t.Helper()
	var p policy.Policy
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		t.Fatal(err)
	}
	return &p
}
