package dynamostore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// List returns one page of q's live records in ascending byte order of ID: a consistent Query
// on the collection's partition and sk prefix, resumed after the cursor's last id, skipping
// claims, counters and expired records.
func (s *Store) List(ctx context.Context, q store.Query) (store.Page, error) {
	if err := txcheck.CheckQuery(q); err != nil {
		return store.Page{}, fmt.Errorf("dynamostore: list: %w", err)
	}
	coll := store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: q.Prefix}
	if err := checkKeys(coll); err != nil {
		return store.Page{}, err
	}
	key, err := s.loadCursorKey(ctx)
	if err != nil {
		return store.Page{}, err
	}
	switch {
	case q.Order.ByCreation():
		return s.listByCreation(ctx, q, key)
	case q.Order == store.ByAttr:
		return s.listByAttr(ctx, q, key)
	}
	var start map[string]types.AttributeValue
	if q.Cursor != "" {
		last, err := cursor.Open(key, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		after := coll
		after.ID = last
		start = keyOf(after)
	}
	x := expr{}
	in := &dynamodb.QueryInput{
		TableName:      aws.String(s.table),
		ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String(x.name(attrPK) + " = " + x.value(strAV(pkOf(coll))) +
			" AND begins_with(" + x.name(attrSK) + ", " + x.value(strAV(skOf(coll))) + ")"),
		FilterExpression: aws.String(x.name(attrType) + " = " + x.value(strAV(typeRecord)) + " AND " + x.live(s.now())),
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = x.names, x.values
	return s.pages(ctx, in, start, q, key)
}

// pages reads until a page of the query's limit is full or the collection ends. DynamoDB
// applies Limit before the filter, so one request may return fewer records than asked.
func (s *Store) pages(ctx context.Context, in *dynamodb.QueryInput, start map[string]types.AttributeValue, q store.Query, key []byte) (store.Page, error) {
	limit := txcheck.PageLimit(q)
	var page store.Page
	for {
		in.ExclusiveStartKey = start
		in.Limit = aws.Int32(int32(limit - len(page.Records)))
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return store.Page{}, fmt.Errorf("dynamostore: list: %w", err)
		}
		for _, item := range out.Items {
			rec, err := decodeRecord(item)
			if err != nil {
				return store.Page{}, err
			}
			page.Records = append(page.Records, rec)
		}
		if len(out.LastEvaluatedKey) == 0 {
			return page, nil
		}
		if len(page.Records) == limit {
			page.Next = cursor.Make(key, q, page.Records[limit-1].ID)
			return page, nil
		}
		start = out.LastEvaluatedKey
	}
}

// loadCursorKey returns the table's cursor key, creating it on first use. Instances race to
// create it with a put-if-absent; a loser reads the winner's. It is cached once known.
func (s *Store) loadCursorKey(ctx context.Context) ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.cursorKey != nil {
		return s.cursorKey, nil
	}
	meta := map[string]types.AttributeValue{attrPK: strAV(metaPK), attrSK: strAV(metaSK)}
	for range 2 {
		item, err := s.getItem(ctx, meta)
		if err != nil {
			return nil, fmt.Errorf("dynamostore: read cursor key: %w", err)
		}
		if b, ok := item[attrKey].(*types.AttributeValueMemberB); ok && len(b.Value) == cursor.KeySize {
			s.cursorKey = b.Value
			return b.Value, nil
		}
		if err := s.createCursorKey(ctx, meta); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("dynamostore: the cursor key item is unreadable")
}

// createCursorKey writes a fresh random key unless one exists; losing that race is not an
// error, since the caller reads the key again.
func (s *Store) createCursorKey(ctx context.Context, meta map[string]types.AttributeValue) error {
	k := make([]byte, cursor.KeySize)
	if _, err := rand.Read(k); err != nil {
		return fmt.Errorf("dynamostore: cursor key: %w", err)
	}
	item := map[string]types.AttributeValue{attrPK: meta[attrPK], attrSK: meta[attrSK],
		attrType: strAV(typeMeta), attrKey: &types.AttributeValueMemberB{Value: k}}
	x := expr{}
	x.cond = "attribute_not_exists(" + x.name(attrPK) + ")"
	p := x.put(s.table, item)
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: p.TableName, Item: p.Item,
		ConditionExpression: p.ConditionExpression, ExpressionAttributeNames: p.ExpressionAttributeNames})
	var lost *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &lost) {
		return fmt.Errorf("dynamostore: create cursor key: %w", err)
	}
	return nil
}
