package policy

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/fault"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything/at/all", true},
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"abc", "ab", false},
		{"tencent:Describe*", "tencent:DescribeApiKey", true},
		{"tencent:Describe*", "tencent:DeleteApiKey", false},
		{"*:GetSecret", "k5:GetSecret", true},
		{"*:GetSecret", "k5:GetSecretPayload", false},
		{"1/*/abc", "1/76/abc", true},
		{"1/*/abc", "1/76/abd", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"a**", "a", true},
		{"app-*", "*", false}, // a create or a list (Any) is covered only by a pattern matching "*"
		{"1/76/*", "1/76/*", true},
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.s); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func parse(t *testing.T, doc string) *Policy {
	t.Helper()
	var p Policy
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	return &p
}

func TestAllows(t *testing.T) {
	p := parse(t, `[
		{"effect": "allow", "actions": ["alibaba:Get*", "alibaba:ListSecrets"], "resources": ["app-*", "*"]},
		{"effect": "deny", "actions": ["alibaba:GetSecretValue"], "resources": ["app-root"]},
		{"effect": "allow", "actions": ["gcore:*"], "resources": ["1/76/*"]}]`)
	tests := []struct {
		action, resource string
		want             bool
	}{
		{"alibaba:GetSecretValue", "app-db", true},
		{"alibaba:GetSecretValue", "app-root", false}, // explicit deny over allow
		{"alibaba:GetSecret", "app-root", true},       // the deny names one action only
		{"alibaba:DeleteSecret", "app-db", false},     // no statement
		{"gcore:GetSecret", "1/76/0b5d", true},
		{"gcore:GetSecret", "1/77/0b5d", false},
		{"gcore:CreateSecret", "1/76/*", true},
		{"k5:GetSecret", "x", false},
	}
	for _, tt := range tests {
		if got := p.Allows(tt.action, tt.resource); got != tt.want {
			t.Errorf("Allows(%q, %q) = %v, want %v", tt.action, tt.resource, got, tt.want)
		}
	}
	var none *Policy
	if !none.Allows("k5:DeleteSecret", "x") {
		t.Error("a credential without a policy lost its full access")
	}
	if (&Policy{}).Allows("k5:GetSecret", "x") {
		t.Error("an empty policy allowed a request")
	}
}

func TestCheckRefuses(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown action", `[{"effect":"allow","actions":["alibaba:GetSecret"],"resources":["*"]},{"effect":"allow","actions":["alibaba:GetSecretValues"],"resources":["*"]}]`, `statement 1: action "alibaba:GetSecretValues" names no operation`},
		{"unknown dialect", `[{"effect":"allow","actions":["aws:*"],"resources":["*"]}]`, `statement 0: action "aws:*"`},
		{"bad effect", `[{"effect":"Allow","actions":["gcore:*"],"resources":["*"]}]`, "statement 0: effect must be"},
		{"no resources", `[{"effect":"allow","actions":["gcore:*"],"resources":[]}]`, "statement 0: actions and resources"},
		{"empty resource", `[{"effect":"deny","actions":["gcore:*"],"resources":[""]}]`, "statement 0: resource patterns"},
		{"control character", `[{"effect":"deny","actions":["gcore:*"],"resources":["a\nb"]}]`, "statement 0: resource patterns"},
	}
	for _, tt := range tests {
		var p Policy
		if err := json.Unmarshal([]byte(tt.doc), &p); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := p.Check(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Check() = %v, want it to say %q", tt.name, err, tt.want)
		}
	}
	for _, doc := range []string{`{}`, `[{"effect":"allow","action":["gcore:*"],"resources":["*"]}]`, `[{"effect":"allow","actions":"gcore:*","resources":["*"]}]`} {
		var p Policy
		if err := json.Unmarshal([]byte(doc), &p); err == nil {
			t.Errorf("%s was read as a policy", doc)
		}
	}
}

func TestAuthorizeRecordsTheDenial(t *testing.T) {
	var out strings.Builder
	w := audit.NewWriter(&out)
	ctx, rec := audit.Begin(context.Background(), audit.Event{Operation: "k5.GetSecretPayload"})
	ctx = WithAction(ctx, "k5:GetSecretPayload")
	p := parse(t, `[{"effect":"allow","actions":["k5:GetSecret"],"resources":["*"]}]`)
	err := Authorize(ctx, "0b5d", nil, p)
	if f := fault.As(err); err == nil || f.Kind != fault.Denied {
		t.Fatalf("Authorize = %v, want a Denied fault", err)
	}
	if err := rec.Finish(w, "Forbidden", 403); err != nil {
		t.Fatal(err)
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(out.String()), &e); err != nil {
		t.Fatal(err)
	}
	if e["outcome"] != audit.OutcomeDenied || e["action"] != "k5:GetSecretPayload" || e["resource"] != "0b5d" || e["status"] != 403.0 {
		t.Errorf("event %v, want outcome denied, the action and the resource", e)
	}
	if err := Authorize(WithAction(context.Background(), "k5:GetSecret"), "0b5d", p, nil); err != nil {
		t.Errorf("an allowed request was refused: %v", err)
	}
	if err := Authorize(context.Background(), "0b5d", p); err == nil {
		t.Error("a request naming no action passed a policy")
	}
	if err := Authorize(context.Background(), "0b5d"); err != nil {
		t.Errorf("a credential without a policy was refused: %v", err)
	}
}

// BenchmarkAllows is the decision on a request: a ten-statement policy whose last statement
// matches (the issue asks under 5 µs).
func BenchmarkAllows(b *testing.B) {
	var p Policy
	for i := range 9 {
		p.Statements = append(p.Statements, Statement{Effect: Allow, Actions: []string{"tencent:Describe*", "alibaba:Get*"}, Resources: []string{"app-" + strings.Repeat("x", i) + "-*"}})
	}
	p.Statements = append(p.Statements, Statement{Effect: Deny, Actions: []string{"*"}, Resources: []string{"app-root"}},
		Statement{Effect: Allow, Actions: []string{"alibaba:GetSecretValue"}, Resources: []string{"svc-*-db"}})
	for b.Loop() {
		if !p.Allows("alibaba:GetSecretValue", "svc-payments-eu-west-1-db") {
			b.Fatal("denied")
		}
	}
}

// TestLists: a list runs when some allow statement names its action, whatever the resource,
// unless a deny names it on every resource; its items are then each decided (Visible).
func TestLists(t *testing.T) {
	for _, a := range Lists {
		if !slices.Contains(Actions, a) {
			t.Errorf("list action %q is no action", a)
		}
	}
	if IsList("k5:GetSecret") || !IsList("k5:ListSecrets") {
		t.Error("IsList")
	}
	ctx := WithAction(context.Background(), "k5:ListSecrets")
	some := parse(t, `[{"effect":"allow","actions":["k5:List*"],"resources":["app-*"]},
		{"effect":"deny","actions":["*"],"resources":["app-root"]}]`)
	if err := Authorize(ctx, Any, some); err != nil {
		t.Errorf("a list allowed on some resources was refused: %v", err)
	}
	for _, tt := range []struct {
		resources []string
		want      bool
	}{
		{[]string{"app-1"}, true},
		{[]string{"app-root"}, false},
		{[]string{"db-1"}, false},
		{[]string{"db-1", "app-1"}, true}, // any of an item's resources
		{nil, false},
	} {
		if got := Visible(ctx, []*Policy{some}, tt.resources...); got != tt.want {
			t.Errorf("Visible(%v) = %v, want %v", tt.resources, got, tt.want)
		}
	}
	if !Visible(ctx, []*Policy{nil}, "db-1") || !Visible(ctx, nil, "db-1") {
		t.Error("without a policy an item was hidden")
	}
	if Visible(ctx, []*Policy{nil, some}, "db-1") {
		t.Error("every policy must show an item")
	}
	for _, doc := range []string{
		`[{"effect":"allow","actions":["k5:GetSecret"],"resources":["*"]}]`,
		`[{"effect":"allow","actions":["k5:*"],"resources":["*"]},{"effect":"deny","actions":["k5:ListSecrets"],"resources":["**"]}]`,
		`[]`,
	} {
		if err := Authorize(ctx, Any, parse(t, doc)); err == nil {
			t.Errorf("%s allowed a list", doc)
		}
	}
	if err := Authorize(WithAction(context.Background(), "k5:CreateSecret"), Any, parse(t, `[{"effect":"allow","actions":["k5:CreateSecret"],"resources":["app-*"]}]`)); err == nil {
		t.Error("a create (not a list) on * passed a pattern that does not cover *")
	}
}

// facts is a Target holding the facts set to true, counting the questions.
type facts struct {
	set   map[Fact]bool
	err   error
	asked int
}

func (f *facts) Holds(x Fact) (bool, error) {
	f.asked++
	return f.set[x], f.err
}

// TestAuthorizeOnFacts: a built-in policy's statements with facts decide with the credential's
// in one call: every policy is asked before the target, a refusal that needs no target asks
// none, deny wins across policies, a failed target is the answer rather than a refusal, and a
// built-in policy's refusal says its own words with the same denied event.
func TestAuthorizeOnFacts(t *testing.T) {
	builtin := &Policy{Field: "X-Auth-Token", Reason: "the token's roles do not allow this", Statements: []Statement{
		{Effect: Allow, Actions: []string{"k5:CreateSecret"}, Resources: []string{"*"}},
		{Effect: Allow, Actions: []string{"k5:*"}, Resources: []string{"*"}, When: []Fact{"open"}},
		{Effect: Allow, Actions: []string{"k5:GetSecret"}, Resources: []string{"*"}, When: []Fact{"listed"}},
	}}
	own := parse(t, `[{"effect":"allow","actions":["k5:*"],"resources":["*"]},{"effect":"deny","actions":["k5:DeleteSecret"],"resources":["s1"]}]`)
	tests := []struct {
		name, action, resource string
		set                    map[Fact]bool
		want                   bool
		field                  string
		asked                  bool
	}{
		{"no statement needs the target", "k5:CreateSecret", Any, nil, true, "", false},
		{"a fact allows", "k5:DeleteSecret", "s2", map[Fact]bool{"open": true}, true, "", true},
		{"no fact holds", "k5:GetSecret", "s2", nil, false, "X-Auth-Token", true},
		{"another fact allows", "k5:GetSecret", "s2", map[Fact]bool{"listed": true}, true, "", true},
		{"the credential's deny, before any target", "k5:DeleteSecret", "s1", map[Fact]bool{"open": true}, false, "", false},
	}
	for _, tt := range tests {
		var out strings.Builder
		ctx, rec := audit.Begin(context.Background(), audit.Event{})
		target := &facts{set: tt.set}
		err := AuthorizeOn(WithAction(ctx, tt.action), tt.resource, target, builtin, own)
		if (err == nil) != tt.want || (target.asked > 0) != tt.asked {
			t.Errorf("%s: got %v after %d questions, want allowed %v, asked %v", tt.name, err, target.asked, tt.want, tt.asked)
		}
		if err == nil {
			continue
		}
		if f := fault.As(err); f.Kind != fault.Denied || f.Field != tt.field {
			t.Errorf("%s: refusal %v naming %q, want Denied naming %q", tt.name, err, f.Field, tt.field)
		}
		_ = rec.Finish(audit.NewWriter(&out), "Forbidden", 403)
		var e map[string]any
		if json.Unmarshal([]byte(out.String()), &e) != nil || e["outcome"] != audit.OutcomeDenied || e["action"] != tt.action || e["resource"] != tt.resource {
			t.Errorf("%s: event %s, want outcome denied, the action and the resource", tt.name, out.String())
		}
	}
	broken := errors.New("store down")
	if err := AuthorizeOn(WithAction(context.Background(), "k5:GetSecret"), "s2", &facts{err: broken}, builtin); !errors.Is(err, broken) {
		t.Errorf("a target that cannot answer: %v, want its error", err)
	}
	if err := AuthorizeOn(WithAction(context.Background(), "k5:GetSecret"), "s2", nil, builtin); err == nil {
		t.Error("a statement with facts applied without a target")
	}
	if builtin.Allows("k5:GetSecret", "s2") {
		t.Error("Allows applied a statement with facts")
	}
	conditionalDeny := &Policy{Statements: []Statement{{Effect: Allow, Actions: []string{"*"}, Resources: []string{"*"}},
		{Effect: Deny, Actions: []string{"*"}, Resources: []string{"*"}, When: []Fact{"private"}}}}
	for set, want := range map[bool]bool{false: true, true: false} {
		err := AuthorizeOn(WithAction(context.Background(), "k5:GetSecret"), "s2", &facts{set: map[Fact]bool{"private": set}}, conditionalDeny)
		if (err == nil) != want {
			t.Errorf("a deny with a fact that holds %v: %v", set, err)
		}
	}
	ctx := WithAction(context.Background(), "k5:ListSecrets")
	listing := &Policy{Statements: []Statement{{Effect: Allow, Actions: []string{"k5:ListSecrets"}, Resources: []string{"*"}, When: []Fact{"open"}}}}
	if err := AuthorizeOn(ctx, Any, nil, listing); err != nil {
		t.Errorf("a list some items of which a fact shows: %v", err)
	}
	if VisibleOn(ctx, &facts{}, []*Policy{listing}, "s1") || !VisibleOn(ctx, &facts{set: map[Fact]bool{"open": true}}, []*Policy{listing}, "s1") ||
		VisibleOn(ctx, &facts{err: broken}, []*Policy{listing}, "s1") {
		t.Error("VisibleOn did not decide on the item's facts")
	}
}

// BenchmarkAuthorizeOn is the whole key manager decision of a Keystone member: its roles'
// built-in policy, whose statements ask three facts of the secret, and a ten-statement
// credential policy, whose last statement matches.
func BenchmarkAuthorizeOn(b *testing.B) {
	var own Policy
	for i := range 9 {
		own.Statements = append(own.Statements, Statement{Effect: Allow, Actions: []string{"k5:List*", "barbican:Get*"}, Resources: []string{"app-" + strings.Repeat("x", i) + "-*"}})
	}
	own.Statements = append(own.Statements, Statement{Effect: Deny, Actions: []string{"*"}, Resources: []string{"app-root"}},
		Statement{Effect: Allow, Actions: []string{"barbican:GetSecretPayload"}, Resources: []string{"0b5d*"}})
	roles := &Policy{Reason: "roles", Statements: []Statement{
		{Effect: Allow, Actions: []string{"k5:CreateSecret", "barbican:CreateSecret", "k5:ListSecrets", "barbican:ListSecrets"}, Resources: []string{Any}},
		{Effect: Allow, Actions: []string{"k5:*", "barbican:*"}, Resources: []string{Any}, When: []Fact{"own", "open"}},
		{Effect: Allow, Actions: []string{"k5:*", "barbican:*"}, Resources: []string{Any}, When: []Fact{"own", "creator"}},
	}}
	ctx := WithAction(context.Background(), "barbican:GetSecretPayload")
	target := &facts{set: map[Fact]bool{"own": true, "creator": true}}
	for b.Loop() {
		if err := AuthorizeOn(ctx, "0b5d8f3e-1c2a-4e6f-9a7b-3c4d5e6f7a8b", target, roles, &own); err != nil {
			b.Fatal(err)
		}
	}
}
