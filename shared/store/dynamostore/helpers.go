package dynamostore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
)

// CountRecords returns the number of live records (claims, counters and the meta item are not
// records), scanning the whole table consistently, page by page. It is a helper for tests and
// operators, to check that a refused request wrote nothing; it is not part of store.Store and
// no request path calls it.
func (s *Store) CountRecords(ctx context.Context) (int, error) {
	x := expr{}
	in := &dynamodb.ScanInput{
		TableName:        aws.String(s.table),
		ConsistentRead:   aws.Bool(true),
		Select:           types.SelectCount,
		FilterExpression: aws.String(x.name(attrType) + " = " + x.value(strAV(typeRecord)) + " AND " + x.live(s.now())),
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = x.names, x.values
	total := 0
	for p := dynamodb.NewScanPaginator(s.db, in); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("dynamostore: count: %w", err)
		}
		total += int(page.Count)
	}
	return total, nil
}

// CounterValue returns the quota counter at ref, 0 when it was never moved. Like CountRecords
// it is a helper for tests and operators.
func (s *Store) CounterValue(ctx context.Context, ref store.Ref) (int64, error) {
	item, err := s.getItem(ctx, keyOf(ref))
	if err != nil {
		return 0, fmt.Errorf("dynamostore: counter: %w", err)
	}
	n, ok := item[attrCounter].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("dynamostore: counter %s holds %q: %w", ref, n.Value, err)
	}
	return v, nil
}
