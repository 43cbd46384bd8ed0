package policy

import (
	"context"
	"testing"
)

// TestShowsAll: true only when no item under the prefix can be hidden; whenever it is true,
// Visible is true for every resource under the prefix tried.
func TestShowsAll(t *testing.T) {
	ctx := WithAction(context.Background(), "gcore:ListSecrets")
	allow := func(actions []string, resources ...string) Statement {
		return Statement{Effect: Allow, Actions: actions, Resources: resources}
	}
	deny := func(actions []string, resources ...string) Statement {
		return Statement{Effect: Deny, Actions: actions, Resources: resources}
	}
	list, other := []string{"gcore:ListSecrets"}, []string{"gcore:GetSecret"}
	for _, tt := range []struct {
		name   string
		ps     []*Policy
		prefix string
		want   bool
	}{
		{"no policy", nil, "", true},
		{"nil policy", []*Policy{nil}, "1/76/", true},
		{"allow *", []*Policy{{Statements: []Statement{allow(list, "*")}}}, "", true},
		{"allow gcore:*", []*Policy{{Statements: []Statement{allow([]string{"gcore:*"}, "*")}}}, "1/76/", true},
		{"allow the project", []*Policy{{Statements: []Statement{allow(list, "1/*")}}}, "1/76/", true},
		{"allow another project", []*Policy{{Statements: []Statement{allow(list, "2/*")}}}, "1/76/", false},
		{"allow one item", []*Policy{{Statements: []Statement{allow(list, "1/76/abc")}}}, "1/76/", false},
		{"allow * but deny one", []*Policy{{Statements: []Statement{allow(list, "*"), deny(list, "1/76/abc")}}}, "1/76/", false},
		{"deny of another action", []*Policy{{Statements: []Statement{allow(list, "*"), deny(other, "*")}}}, "", true},
		{"only another action", []*Policy{{Statements: []Statement{allow(other, "*")}}}, "", false},
		{"two policies, one narrow", []*Policy{nil, {Statements: []Statement{allow(list, "*")}}, {Statements: []Statement{allow(list, "x*")}}}, "", false},
		{"allow * asking a fact of each item", []*Policy{{Statements: []Statement{{Effect: Allow, Actions: list, Resources: []string{"*"}, When: []Fact{"secret:creator"}}}}}, "", false},
	} {
		if got := ShowsAll(ctx, tt.ps, tt.prefix); got != tt.want {
			t.Errorf("%s: ShowsAll = %v, want %v", tt.name, got, tt.want)
		}
		if ShowsAll(ctx, tt.ps, tt.prefix) {
			for _, r := range []string{tt.prefix, tt.prefix + "abc", tt.prefix + "x/y*z"} {
				if !Visible(ctx, tt.ps, r) {
					t.Errorf("%s: ShowsAll but %q is hidden", tt.name, r)
				}
			}
		}
	}
}
