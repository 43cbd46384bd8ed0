package dynamostore

import (
	"slices"

	"keyport/shared/store"
)

// callActions are the DynamoDB actions behind each store call (see Apply and List). IAM
// authorises each item of a TransactWriteItems as its own action (PutItem, UpdateItem,
// DeleteItem). A Delete and a versioned Put read the record first to learn its claims, and a
// refused Update reads it to tell Missing from Stale (GetItem); a versioned Put deletes the
// claims its new version drops. A List is a Query, and the first List of a process may create
// the table's paging-cursor key item (GetItem, PutItem on that one item, see
// CursorKeyPartition).
var callActions = map[store.Need][]string{
	store.NeedGet:     {"dynamodb:GetItem"},
	store.NeedList:    {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem"},
	store.NeedPut:     {"dynamodb:PutItem"},
	store.NeedReplace: {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"},
	store.NeedUpdate:  {"dynamodb:GetItem", "dynamodb:UpdateItem"},
	store.NeedDelete:  {"dynamodb:GetItem", "dynamodb:DeleteItem"},
	store.NeedCount:   {"dynamodb:UpdateItem"},
}

// IAMActions returns the DynamoDB actions this driver calls for the store calls in n, sorted
// and without repeats.
func IAMActions(n store.Need) []string {
	var out []string
	for call, actions := range callActions {
		if n.Has(call) {
			out = append(out, actions...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// CursorKeyPartition is the partition key of the item that holds the table's paging-cursor MAC
// key; a role that lists must be allowed this leading key besides its own service's.
const CursorKeyPartition = "keyport#meta"

// PartitionPrefix is how every partition key of service's items begins: records, claims and
// counters alike are stored under "<service>#<tenant>", so an IAM dynamodb:LeadingKeys condition
// on this prefix confines a role to its own service.
func PartitionPrefix(service string) string { return service + "#" }
