package functions

import (
	"slices"
	"testing"

	"keyport/shared/operation"
	"keyport/shared/policy"
)

// TestPolicyActionsAreTheRows keeps policy.Actions, what a credential's policy may name, equal
// to the operations served (every row but the identity dialect's, which a password or token
// reaches before any policy applies).
func TestPolicyActionsAreTheRows(t *testing.T) {
	var rows []string
	for _, r := range Operations {
		if r.Dialect != operation.Identity {
			rows = append(rows, policy.ActionName(r.Name))
		}
	}
	slices.Sort(rows)
	known := slices.Sorted(slices.Values(policy.Actions))
	if !slices.Equal(rows, known) {
		t.Errorf("policy.Actions = %v\nrows = %v", known, rows)
	}
}
