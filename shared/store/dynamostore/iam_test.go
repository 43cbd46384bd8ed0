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
		{store.NeedPut, []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}},
		{store.NeedPut | store.NeedCount, []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}},
		{store.NeedList, []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}},
		{store.NeedUpdate, []string{"dynamodb:GetItem", "dynamodb:UpdateItem"}},
		{store.NeedDelete, []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"}},
		{store.NeedReplace, []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
		{0, nil},
	}
	for _, tt := range tests {
		if got := IAMActions(tt.need); !slices.Equal(got, tt.want) {
			t.Errorf("IAMActions(%b): got %v, want %v", tt.need, got, tt.want)
		}
	}
	if got := Indexes(store.NeedList | store.NeedGet); !slices.Equal(got, []string{"by_created", "by_expiry", "by_attr"}) {
		t.Errorf("Indexes(List): got %v", got)
	}
	if got := Indexes(store.NeedGet | store.NeedPut | store.NeedDelete); got != nil {
		t.Errorf("Indexes without List: got %v, want none", got)
	}
}
