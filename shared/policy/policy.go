// Package policy is least privilege for callers: a Policy on a credential of the credentials
// document says which operations (actions) it may call on which resources. The language, its
// resources per dialect and worked examples are in docs/policies.md.
//
// A statement allows or denies its actions on its resources; an action or resource pattern
// may hold "*" wildcards, each matching any run of characters ("/" included). A request is
// allowed when some allow statement matches its action and resource and no deny statement
// does: an explicit deny wins, and no matching statement means deny. A credential without a
// policy (a nil *Policy) keeps full access to its account.
//
// A built-in policy (the key manager's roles and ACLs) is decided with a credential's own in
// the same call, AuthorizeOn; its statements may also require facts about the request's
// target (Statement.When, Target), which the decision asks only when they matter.
package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Actions is every action a statement may name: "<dialect>:<Operation>" for each operation of
// the operations table (its row's Name with ":" for "."). A test in package functions keeps it
// equal to the rows.
var Actions = []string{
	"alibaba:CreateSecret", "alibaba:DeleteSecret", "alibaba:GetSecret", "alibaba:GetSecretValue",
	"alibaba:ListSecretReferences", "alibaba:ListSecrets", "alibaba:UpdateSecret",
	"barbican:CreateSecret", "barbican:CreateSecretMetadatum", "barbican:DeleteSecret",
	"barbican:DeleteSecretACL", "barbican:DeleteSecretMetadatum", "barbican:GetSecret",
	"barbican:GetSecretACL", "barbican:GetSecretMetadata", "barbican:GetSecretMetadatum",
	"barbican:GetSecretPayload", "barbican:ListSecrets", "barbican:ReplaceSecretACL",
	"barbican:ReplaceSecretMetadata", "barbican:UpdateSecret", "barbican:UpdateSecretACL",
	"barbican:UpdateSecretMetadatum",
	"gcore:CreateSecret", "gcore:CreateSecretV2", "gcore:DeleteSecret", "gcore:GetSecret",
	"gcore:GetTask", "gcore:ListSecrets", "gcore:ListTasks",
	"k5:CreateSecret", "k5:CreateSecretMetadatum", "k5:DeleteSecret", "k5:DeleteSecretACL",
	"k5:DeleteSecretMetadatum", "k5:GetSecret", "k5:GetSecretACL", "k5:GetSecretMetadata",
	"k5:GetSecretMetadatum", "k5:GetSecretPayload", "k5:ListSecrets", "k5:ReplaceSecretACL",
	"k5:ReplaceSecretMetadata", "k5:UpdateSecret", "k5:UpdateSecretACL", "k5:UpdateSecretMetadatum",
	"tencent:CreateApiKey", "tencent:CreateMultiPathGatewaySecretKey", "tencent:DeleteApiKey",
	"tencent:DescribeApiKey", "tencent:DescribeApiKeysStatus",
	"tencent:DescribeMultiPathGatewaySecretKey", "tencent:DisableApiKey", "tencent:EnableApiKey",
	"tencent:ModifyMultiPathGatewaySecretKey", "tencent:RefreshMultiPathGatewaySecretKey",
	"tencent:UpdateApiKey",
}

// Any is the resource of a request that names no existing resource before it acts (a create
// of a server-chosen id, a list): only a resource pattern that matches the text "*" (a
// pattern "*", or one ending in "*" after a matching prefix) covers it.
const Any = "*"

// Effects.
const (
	Allow = "allow"
	Deny  = "deny"
)

// Statement is one rule of a policy.
type Statement struct {
	Effect    string   `json:"effect"`
	Actions   []string `json:"actions"`
	Resources []string `json:"resources"`
	// When lists facts about the request's target that must all hold for the statement to
	// apply (see Target). Only a built-in policy has them, such as the key manager's roles and
	// ACLs: the credentials document cannot write one (UnmarshalJSON takes the three fields
	// above only). A statement with facts never applies to a request without a target.
	When []Fact `json:"-"`
}

// Policy is a credential's statements, or a built-in policy's. A nil *Policy is full access.
type Policy struct {
	Statements []Statement
	// Field and Reason are what a refusal by a built-in policy says (the fault's field and
	// reason: the key manager's roles name X-Auth-Token). A credential's policy leaves them
	// empty: its refusal says the credential's policy does not allow the action.
	Field, Reason string
}

// FormError is a policy whose JSON is not a list of statements of the expected form. Its
// text quotes nothing of the document (which holds secrets beside the policy).
type FormError struct{ Reason string }

func (e *FormError) Error() string { return "policy: " + e.Reason }

// UnmarshalJSON reads a policy: a JSON array of statements, each with exactly the fields
// effect, actions and resources.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return &FormError{"a policy is a list of statements"}
	}
	p.Statements = make([]Statement, len(raw))
	for i, s := range raw {
		d := json.NewDecoder(bytes.NewReader(s))
		d.DisallowUnknownFields()
		if err := d.Decode(&p.Statements[i]); err != nil {
			return &FormError{fmt.Sprintf("statement %d must be an object with only effect, actions (a list) and resources (a list)", i)}
		}
	}
	return nil
}

// MarshalJSON writes the statements as a JSON array.
func (p Policy) MarshalJSON() ([]byte, error) { return json.Marshal(p.Statements) }

// Check validates p strictly, naming the first statement at fault: an effect other than allow
// or deny, an empty action or resource list, an action pattern that matches no action of
// Actions (a misspelt operation would otherwise silently allow or deny nothing), or a resource
// pattern that is empty or holds a control character.
func (p *Policy) Check() error {
	if p == nil {
		return nil
	}
	for i, s := range p.Statements {
		if s.Effect != Allow && s.Effect != Deny {
			return fmt.Errorf("statement %d: effect must be %q or %q", i, Allow, Deny)
		}
		if len(s.Actions) == 0 || len(s.Resources) == 0 {
			return fmt.Errorf("statement %d: actions and resources must each list at least one pattern", i)
		}
		for _, a := range s.Actions {
			if !slices.ContainsFunc(Actions, func(known string) bool { return Match(a, known) }) {
				return fmt.Errorf("statement %d: action %q names no operation (see docs/policies.md)", i, clip(a))
			}
		}
		for _, r := range s.Resources {
			if r == "" || strings.ContainsFunc(r, unicode.IsControl) {
				return fmt.Errorf("statement %d: resource patterns must be non-empty text without control characters", i)
			}
		}
	}
	return nil
}

// clip bounds a pattern quoted in an error.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// Allows reports whether p allows action on resource, for a request without a target: true
// for a nil p; otherwise some allow statement must match and no deny statement may. A
// statement with facts (When) does not apply.
func (p *Policy) Allows(action, resource string) bool {
	if p == nil {
		return true
	}
	allowed := false
	for _, s := range p.Statements {
		if len(s.When) > 0 || !matchAny(s.Actions, action) || !matchAny(s.Resources, resource) {
			continue
		}
		if s.Effect == Deny {
			return false
		}
		allowed = true
	}
	return allowed
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if Match(p, s) {
			return true
		}
	}
	return false
}

// Match reports whether s matches pattern, where each "*" matches any run of characters
// (possibly empty) and every other character only itself. It runs in O(len(pattern) ×
// len(s)) at worst, without recursion.
func Match(pattern, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0 // the last "*" seen in pattern, and where in s it started matching
	for sx < len(s) {
		switch {
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case px < len(pattern) && pattern[px] == s[sx]:
			px++
			sx++
		case star >= 0:
			mark++
			px, sx = star+1, mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

type actionKey struct{}

// WithAction returns ctx naming the action its request calls: operation.Row.Handler sets it
// from the row's name, so a dialect's skeleton can authorize without knowing its operations.
func WithAction(ctx context.Context, action string) context.Context {
	return context.WithValue(ctx, actionKey{}, action)
}

// ActionOf returns the action WithAction set, or "".
func ActionOf(ctx context.Context) string {
	a, _ := ctx.Value(actionKey{}).(string)
	return a
}

// ActionName is the action of an operation named "<dialect>.<Operation>" (a row's Name).
func ActionName(operation string) string { return strings.Replace(operation, ".", ":", 1) }

// Lists are the list actions, whose answers each policy filters item by item (Visible)
// instead of allowing or refusing them as a whole (docs/policies.md, "Lists").
var Lists = []string{
	"alibaba:ListSecrets", "barbican:ListSecrets", "gcore:ListSecrets", "gcore:ListTasks",
	"k5:ListSecrets", "tencent:DescribeApiKeysStatus",
}

// IsList reports whether action is one of Lists.
func IsList(action string) bool { return slices.Contains(Lists, action) }
