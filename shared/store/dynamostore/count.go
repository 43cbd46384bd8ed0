package dynamostore

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/internal/tally"
	"keyport/shared/store/internal/txcheck"
)

// Count returns the live records of q's indexed collection: the tallies of the days after
// today and of Never (one Query of the tenant's tally items), plus today's records that expire
// after now (a Select COUNT on by_expiry). Neither reads a record.
func (s *Store) Count(ctx context.Context, q store.Query) (int64, error) {
	if err := txcheck.CheckCount(q); err != nil {
		return 0, fmt.Errorf("dynamostore: %w", err)
	}
	pk := pkOf(store.Ref{Service: q.Service, Tenant: q.Tenant})
	if err := checkKeys(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: q.Prefix}); err != nil {
		return 0, err
	}
	now := s.now()
	today, next := tally.Today(now)
	prefix := tallyPrefixOf(q.Kind, q.Prefix)
	x := expr{}
	in := &dynamodb.QueryInput{
		TableName:      aws.String(s.table),
		ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String(x.name(attrPK) + " = " + x.value(strAV(pk)) + " AND " + x.name(attrSK) +
			" BETWEEN " + x.value(strAV(prefix+ordered(today+1))) + " AND " + x.value(strAV(prefix+ordered(tally.Never)+"$"))),
		ProjectionExpression: aws.String(x.name(attrCounter)),
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = x.names, x.values
	var total int64
	for p := dynamodb.NewQueryPaginator(s.db, in); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("dynamostore: count: %w", err)
		}
		for _, item := range out.Items {
			n, err := integer(item, attrCounter)
			if err != nil {
				return 0, fmt.Errorf("dynamostore: count: tally: %w", err)
			}
			total += n
		}
	}
	// Today's records still live expire in [now+1 s, next midnight - 1 s] (whole seconds).
	lo, hi := now.Unix()+1, next.Unix()-1
	if lo > hi {
		return total, nil
	}
	gk := groupKey(q.Kind, q.Prefix)
	x = expr{}
	in = &dynamodb.QueryInput{
		TableName:      aws.String(s.table),
		IndexName:      aws.String(IndexExpiry),
		ConsistentRead: aws.Bool(true),
		Select:         types.SelectCount,
		KeyConditionExpression: aws.String(x.name(attrPK) + " = " + x.value(strAV(pk)) + " AND " + x.name(AttrExpiryIx) +
			" BETWEEN " + x.value(strAV(gk+ordered(lo))) + " AND " + x.value(strAV(gk+ordered(hi)+"$"))),
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = x.names, x.values
	for p := dynamodb.NewQueryPaginator(s.db, in); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			return 0, indexErr("count", IndexExpiry, err)
		}
		total += int64(out.Count)
	}
	return total, nil
}

// indexErr wraps a failed index Query. A table made before the indexes existed lacks them
// (DynamoDB adds a local index only at creation), which the message says when DynamoDB refused
// the index (a ValidationException; moto says ResourceNotFoundException).
func indexErr(op, index string, err error) error {
	var refused interface{ ErrorCode() string }
	if errors.As(err, &refused) && (refused.ErrorCode() == "ValidationException" || refused.ErrorCode() == "ResourceNotFoundException") {
		return fmt.Errorf("dynamostore: %s: query index %s (a table created before the indexes lacks them: docs/deploy.md): %w", op, index, err)
	}
	return fmt.Errorf("dynamostore: %s: %w", op, err)
}
