// Package policy is least privilege for callers: a Policy on a credential of the credentials
// document says which operations (actions) it may call on which resources. The language, its
// resources per dialect and worked examples are in docs/policies.md.
//
// A statement allows or denies its actions on its resources; an action or resource pattern
// may hold "*" wildcards, each matching any run of characters ("/" included). A request is
// allowed when some allow statement matches its action and resource and no deny statement
// does: an explicit deny wins, and no matching statement means deny. A credential without a
// policy (a nil *Policy) keeps full access to its account.
package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"keyport/shared/audit"
	"keyport/shared/fault"
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
}

// Policy is a credential's statements. A nil *Policy is full access.
type Policy struct {
	Statements []Statement
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

// Allows reports whether p allows action on resource: true for a nil p; otherwise some allow
// statement must match and no deny statement may.
func (p *Policy) Allows(action, resource string) bool {
	if p == nil {
		return true
	}
	allowed := false
	for _, s := range p.Statements {
		if !matchAny(s.Actions, action) || !matchAny(s.Resources, resource) {
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

// mayList reports whether p lets a list action run at all: some allow statement names the
// action (on any resource), and no deny statement names it on the list's own resource (a
// pattern matching the text "*", or "1/76/*" for a Gcore region's list).
func (p *Policy) mayList(action, resource string) bool {
	named := false
	for _, s := range p.Statements {
		if !matchAny(s.Actions, action) {
			continue
		}
		if s.Effect == Deny && matchAny(s.Resources, resource) {
			return false
		}
		named = named || s.Effect == Allow
	}
	return named
}

// Visible reports whether a list's item is shown to a caller with policies ps: every non-nil
// policy must allow ctx's action (ActionOf, the list's) on one of the item's resources (an
// Alibaba secret has two, its name and its id). With no non-nil policy every item is.
func Visible(ctx context.Context, ps []*Policy, resources ...string) bool {
	action := ActionOf(ctx)
	for _, p := range ps {
		if p == nil {
			continue
		}
		if !slices.ContainsFunc(resources, func(r string) bool { return p.Allows(action, r) }) {
			return false
		}
	}
	return true
}

// Authorize is the one decision every dialect's skeleton asks, before the request reads or
// writes anything: it refuses (fault.Denied, which each dialect renders as its own refusal)
// unless every non-nil policy of ps allows ctx's action (ActionOf) on resource, and records
// the refusal on the request's audit event (outcome "denied", the action and the resource).
// With no non-nil policy it allows without looking further; a request without an action is
// refused by any policy (a handler served outside operation.Row.Handler names none). For a
// list action (IsList) each policy need only let the list run at all; the list then shows
// only the items Visible allows. A deny covering the list's own resource still refuses it.
func Authorize(ctx context.Context, resource string, ps ...*Policy) error {
	action := ActionOf(ctx)
	for _, p := range ps {
		if p == nil {
			continue
		}
		allowed := action != "" && p.Allows(action, resource)
		if IsList(action) {
			allowed = p.mayList(action, resource) // the items are filtered by Visible
		}
		if !allowed {
			audit.SetDenied(ctx, action, resource)
			return fault.New(fault.Denied, "", "the credential's policy does not allow "+action+" on this resource")
		}
	}
	return nil
}
