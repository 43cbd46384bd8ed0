package dynamostore

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// listByAttr is List in the attribute index: a Query of by_attr on the keys that begin with the
// collection's group key and AttrPrefix (with AttrExact, on the key of that value), in
// ascending order, starting after the cursor's entry.
// Like listByCreation it reads one entry more than the page, and a page of records then reads
// its records by key. It reads the entries that match, never the rest of the collection.
func (s *Store) listByAttr(ctx context.Context, q store.Query, key []byte) (store.Page, error) {
	if !utf8.ValidString(q.AttrPrefix) {
		// DynamoDB takes only UTF-8 in a key condition, and stores only UTF-8 values.
		return store.Page{}, errors.New("dynamostore: list: the attribute prefix is not valid UTF-8")
	}
	attr := store.AttrIndex(q.Service, q.Kind)
	var start map[string]types.AttributeValue
	if q.Cursor != "" {
		value, _, id, err := cursor.OpenAttr(key, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		// DynamoDB resumes after (la, sk): equal keys come in the table's order.
		after := store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: id}
		start = keyOf(after)
		start[AttrValueIx] = strAV(valueKey(q.Kind, q.Prefix, value))
	}
	x := expr{}
	filter := x.live(s.now())
	whole := func() string { return x.name(attrAttrs) + "." + x.name(attr) } // named only where used
	k := valueKey(q.Kind, q.Prefix, q.AttrPrefix)
	sortKey := "begins_with(" + x.name(AttrValueIx) + ", " + x.value(strAV(k)) + ")"
	switch {
	case q.AttrExact:
		// The key of exactly this value; values cut to the same key (valueKey) are told apart
		// by the whole value.
		sortKey = x.name(AttrValueIx) + " = " + x.value(strAV(k))
		filter += " AND " + whole() + " = " + x.value(strAV(q.AttrPrefix))
	case k != groupKey(q.Kind, q.Prefix)+q.AttrPrefix:
		// A prefix longer than a key keeps (valueKey): the key selects the values that agree
		// with it on the kept bytes, the filter those that begin with all of it.
		filter += " AND begins_with(" + whole() + ", " + x.value(strAV(q.AttrPrefix)) + ")"
	}
	in := &dynamodb.QueryInput{
		TableName:      aws.String(s.table),
		IndexName:      aws.String(IndexAttr),
		ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String(x.name(attrPK) + " = " + x.value(strAV(pkOf(store.Ref{Service: q.Service, Tenant: q.Tenant}))) +
			" AND " + sortKey),
		FilterExpression: aws.String(filter),
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = x.names, x.values
	limit := txcheck.PageLimit(q)
	entries, err := s.readEntries(ctx, in, start, limit+1, IndexAttr)
	if err != nil {
		return store.Page{}, err
	}
	return s.pageOf(ctx, q, entries, limit, func(last store.Record) string {
		value, _ := last.Attrs[attr].(string)
		return cursor.MakeAttr(key, q, value, last)
	})
}
