package dynamostore

import (
	"slices"
	"testing"

	"keyport/shared/store"
)

// TestIAMActions pins the grants of the store calls, written out by hand.
func TestIAMActions(t *testing.T) {
	tests := []struct {
		need store.Need
		want []string
	}{
		{store.NeedGet, []string{"dynamodb:GetItem"}},
		{store.NeedPut, []string{"dynamodb:PutItem"}},
		{store.NeedPut | store.NeedCount, []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}},
		{store.NeedList, []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}},
		{store.NeedUpdate, []string{"dynamodb:GetItem", "dynamodb:UpdateItem"}},
		{store.NeedDelete | store.NeedCount, []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"}},
		{store.NeedReplace, []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"}},
		{0, nil},
	}
	for _, tt := range tests {
		if got := IAMActions(tt.need); !slices.Equal(got, tt.want) {
			t.Errorf("IAMActions(%b): got %v, want %v", tt.need, got, tt.want)
		}
	}
}
