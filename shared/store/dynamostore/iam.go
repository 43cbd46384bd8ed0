package dynamostore

import (
	"slices"

	"keyport/shared/store"
)

// callActions are the DynamoDB actions behind each store call (see Apply and List). IAM
// authorises each item of a TransactWriteItems as its own action (PutItem, UpdateItem,
// DeleteItem). A Delete and a versioned Put read the record first to learn its claims, and a
// refused Update reads it to tell Missing from Stale (GetItem); a versioned Put deletes the
// claims its new version drops. A create, a versioned Put and a Delete of an indexed kind also
// move its collection's tally (an ADD: UpdateItem, index.go). A List is a Query (of the table,
// or of a local index, see Indexes), a page of records in an index order reads its records by
// key (BatchGetItem), and the first List of a process may create the table's paging-cursor
// key item (GetItem, PutItem on that one item, see CursorKeyPartition); a Count, allowed with
// List, is a Query of the tallies and of by_expiry.
var callActions = map[store.Need][]string{
	store.NeedGet:     {"dynamodb:GetItem"},
	store.NeedList:    {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:BatchGetItem"},
	store.NeedPut:     {"dynamodb:PutItem", "dynamodb:UpdateItem"},
	store.NeedReplace: {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"},
	store.NeedUpdate:  {"dynamodb:GetItem", "dynamodb:UpdateItem"},
	store.NeedDelete:  {"dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"},
	store.NeedCount:   {"dynamodb:UpdateItem"},
}

// Indexes returns the local indexes the store calls in n Query (their IAM resources are
// "<table arn>/index/<name>"): all three, for List and Count; none otherwise.
func Indexes(n store.Need) []string {
	if n.Has(store.NeedList) {
		return []string{IndexCreated, IndexExpiry, IndexAttr}
	}
	return nil
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
