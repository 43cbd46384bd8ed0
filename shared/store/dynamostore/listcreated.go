package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// listByCreation is List in a creation order: a Query of by_created on the collection's group,
// one way or the other, starting after the cursor's position or past Offset live entries. It
// reads one entry more than the page, so Next is "" exactly on the last page. A page of
// records (not entries) then reads its records from the table by key.
func (s *Store) listByCreation(ctx context.Context, q store.Query, key []byte) (store.Page, error) {
	pk := pkOf(store.Ref{Service: q.Service, Tenant: q.Tenant})
	gk := groupKey(q.Kind, q.Prefix)
	var start map[string]types.AttributeValue
	if q.Cursor != "" {
		created, id, err := cursor.OpenAfter(key, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		after := store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: id}
		start = keyOf(after)
		start[AttrCreatedIx] = strAV(createdKey(after, created))
	}
	x := expr{}
	in := &dynamodb.QueryInput{
		TableName:      aws.String(s.table),
		IndexName:      aws.String(IndexCreated),
		ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String(x.name(attrPK) + " = " + x.value(strAV(pk)) +
			" AND begins_with(" + x.name(AttrCreatedIx) + ", " + x.value(strAV(gk)) + ")"),
		FilterExpression: aws.String(x.live(s.now())),
		ScanIndexForward: aws.Bool(q.Order == store.Oldest),
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = x.names, x.values
	if q.Cursor == "" && q.Offset > 0 {
		var ended bool
		var err error
		if start, ended, err = s.skip(ctx, in, q.Offset); err != nil || ended {
			return store.Page{}, err
		}
	}
	limit := txcheck.PageLimit(q)
	entries, err := s.readEntries(ctx, in, start, limit+1, IndexCreated)
	if err != nil {
		return store.Page{}, err
	}
	return s.pageOf(ctx, q, entries, limit, func(last store.Record) string { return cursor.MakeAfter(key, q, last) })
}

// readEntries reads up to n live entries of in's Query (of index) from start, in as many
// requests as its filter makes it take: DynamoDB's Limit counts the entries it evaluates, the
// filter then drops some, so a request asks only for the entries still missing.
func (s *Store) readEntries(ctx context.Context, in *dynamodb.QueryInput, start map[string]types.AttributeValue, n int, index string) ([]store.Record, error) {
	in.Select = types.SelectAllProjectedAttributes
	var entries []store.Record
	for len(entries) < n {
		in.ExclusiveStartKey = start
		in.Limit = aws.Int32(int32(n - len(entries)))
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, indexErr("list", index, err)
		}
		for _, item := range out.Items {
			rec, err := decodeRecord(item)
			if err != nil {
				return nil, err
			}
			entries = append(entries, rec)
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		start = out.LastEvaluatedKey
	}
	return entries, nil
}

// pageOf is the page of limit that entries (read one past it) begin: a cursor made by next
// after its last entry when there is one more, and its records read by key unless q asks for
// the entries themselves.
func (s *Store) pageOf(ctx context.Context, q store.Query, entries []store.Record, limit int, next func(last store.Record) string) (store.Page, error) {
	var page store.Page
	if len(entries) > limit {
		page.Next = next(entries[limit-1])
		entries = entries[:limit]
	}
	if q.Entries {
		page.Records = entries
		return page, nil
	}
	recs, err := s.fetch(ctx, entries)
	if err != nil {
		return store.Page{}, err
	}
	page.Records = recs
	return page, nil
}

// skip reads past n live entries of in's Query, keys and expiry only (Select COUNT), in
// requests of at most the entries still to skip: DynamoDB's Limit counts entries before the
// liveness filter, so no request reads past the last one skipped. It returns where the page
// starts, or ended when the collection holds no more than n live entries.
func (s *Store) skip(ctx context.Context, in *dynamodb.QueryInput, n int) (start map[string]types.AttributeValue, ended bool, err error) {
	in.Select = types.SelectCount
	defer func() { in.Select, in.Limit, in.ExclusiveStartKey = "", nil, nil }()
	for n > 0 {
		in.ExclusiveStartKey = start
		in.Limit = aws.Int32(int32(min(n, 1<<20)))
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, false, indexErr("list", IndexCreated, err)
		}
		n -= int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			return nil, true, nil
		}
		start = out.LastEvaluatedKey
	}
	return start, false, nil
}

// fetch reads the records of a page of entries from the table (BatchGetItem, consistently, in
// pieces of DynamoDB's 100 keys), in the entries' order. An entry whose record was deleted or
// expired since it was read is left out, as List leaves out expired records.
func (s *Store) fetch(ctx context.Context, entries []store.Record) ([]store.Record, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	byKey := make(map[string]store.Record, len(entries))
	const batch = 100
	for lo := 0; lo < len(entries); lo += batch {
		keys := make([]map[string]types.AttributeValue, 0, batch)
		for _, e := range entries[lo:min(lo+batch, len(entries))] {
			keys = append(keys, keyOf(e.Ref))
		}
		req := map[string]types.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		for attempt := 0; len(req) > 0; attempt++ {
			if attempt == conflictAttempts {
				return nil, errors.New("dynamostore: list: DynamoDB left keys unprocessed after every attempt")
			}
			if attempt > 0 {
				if err := sleep(ctx, s.backoff*time.Duration(min(attempt, 8))); err != nil {
					return nil, fmt.Errorf("dynamostore: list: %w", err)
				}
			}
			out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, fmt.Errorf("dynamostore: list: read records: %w", err)
			}
			now := s.now()
			for _, item := range out.Responses[s.table] {
				if !isLiveRecord(item, now) {
					continue
				}
				rec, err := decodeRecord(item)
				if err != nil {
					return nil, err
				}
				byKey[skOf(rec.Ref)] = rec
			}
			req = out.UnprocessedKeys
		}
	}
	recs := make([]store.Record, 0, len(entries))
	for _, e := range entries {
		if rec, ok := byKey[skOf(e.Ref)]; ok {
			recs = append(recs, rec)
		}
	}
	return recs, nil
}
