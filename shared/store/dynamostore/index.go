package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/tally"
	"keyport/shared/store/internal/txcheck"
)

// The indexes of an indexed kind (store.DeclareIndex), docs/store.md "DynamoDB". Both are local
// secondary indexes of the table (hash key pk, like the table), because only a local index
// answers a ConsistentRead Query, and the contract lists a record as soon as its Apply returned.
// Both are sparse: only records of an indexed kind carry their sort key attributes.
//
//   - by_created, sort key lc = Kind "#" Group "#" created "#" ID (created: the creation
//     millisecond as 16 hex digits, sign bit flipped, so the strings sort as the times do),
//     projecting every non-secret attribute of the record, so a page of entries, an offset
//     and a filter over attributes read the index alone, never a sealed value;
//   - by_expiry, sort key le = Kind "#" Group "#" expires "#" ID (expires: the TTL second,
//     encoded alike), keys only, on records that expire: Count reads today's live ones there.
//
// Counts are tally items (package tally) in the tenant's partition, one per (kind, group,
// expiry day, shard): sk = "#n#" Kind "#" Group "#" day "#" shard, moved by ADD in the
// record's own transaction. A record's sk starts with its kind, never with '#', so the two
// never meet. The shard (the id's hash, of tallyShards) spreads a burst of creates in one
// tenant over several items, which DynamoDB would otherwise serialize (TransactionConflict).
const (
	IndexCreated  = "by_created"
	IndexExpiry   = "by_expiry"
	AttrCreatedIx = "lc" // S, by_created's sort key
	AttrExpiryIx  = "le" // S, by_expiry's sort key

	typeTally   = "tally"
	tallyPrefix = "#n#"
	tallyShards = 4
)

// createdProjection is what by_created carries besides the keys: a record without its sealed
// value and claims, which is exactly a store.Query's entry.
var createdProjection = []string{attrType, attrVersion, attrAttrs, attrCreated, attrUpdated, attrExpires}

// indexable reports whether the record at r carries index attributes and moves a tally: its
// kind is indexed and it has a tenant (store.IndexedRef), and its group holds no '#', which
// separates the parts of the index keys. A Query or Count names a group without '#'
// (txcheck), so a record whose group has one could never be listed or counted anyway.
func indexable(r store.Ref) bool {
	return store.IndexedRef(r) && !strings.Contains(store.Group(r.ID), "#")
}

// ordered is v as 16 hex digits with the sign bit flipped: the strings sort as the numbers do.
func ordered(v int64) string {
	const digits = "0123456789abcdef"
	u := uint64(v) ^ 1<<63
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[u&15]
		u >>= 4
	}
	return string(b[:])
}

// groupKey is how the index keys of (kind, group) begin.
func groupKey(kind, group string) string { return kind + "#" + group + "#" }

func createdKey(r store.Ref, createdMillis int64) string {
	return groupKey(r.Kind, store.Group(r.ID)) + ordered(createdMillis) + "#" + r.ID
}

func expiryKey(r store.Ref, expiresSec int64) string {
	return groupKey(r.Kind, store.Group(r.ID)) + ordered(expiresSec) + "#" + r.ID
}

// indexAttrs adds the index keys of an indexable record to its item.
func indexAttrs(item map[string]types.AttributeValue, r store.Record) {
	if !indexable(r.Ref) {
		return
	}
	item[AttrCreatedIx] = strAV(createdKey(r.Ref, r.CreatedAt.UnixMilli()))
	if !r.ExpiresAt.IsZero() {
		item[AttrExpiryIx] = strAV(expiryKey(r.Ref, ceilSeconds(r.ExpiresAt)))
	}
}

// day is the tally day of r: that of its stored (whole second) expiry, so it agrees with
// by_expiry and with the liveness every read checks.
func day(r store.Record) int64 {
	if r.ExpiresAt.IsZero() {
		return tally.Never
	}
	return tally.Day(time.Unix(ceilSeconds(r.ExpiresAt), 0))
}

func tallyPrefixOf(kind, group string) string { return tallyPrefix + groupKey(kind, group) }

// tallyKey is the key of the tally item r is counted in.
func tallyKey(r store.Record) map[string]types.AttributeValue {
	h := fnv.New32a()
	h.Write([]byte(r.ID))
	sk := tallyPrefixOf(r.Kind, store.Group(r.ID)) + ordered(day(r)) + "#" + strconv.Itoa(int(h.Sum32()%tallyShards))
	return map[string]types.AttributeValue{attrPK: strAV(pkOf(r.Ref)), attrSK: strAV(sk)}
}

func tallyID(key map[string]types.AttributeValue) string {
	pk, _ := str(key, attrPK)
	sk, _ := str(key, attrSK)
	return pk + "\x00" + sk
}

// tally moves r's tally by delta in this transaction, if r is indexable. Moves of one item are
// summed (a transaction may not name an item twice), and flushTallies writes them.
func (p *plan) tally(r store.Record, delta int64) {
	if !indexable(r.Ref) {
		return
	}
	key := tallyKey(r)
	id := tallyID(key)
	if p.tallies == nil {
		p.tallies = map[string]int64{}
	}
	if _, ok := p.tallies[id]; !ok {
		p.tallyKeys = append(p.tallyKeys, key)
	}
	p.tallies[id] += delta
}

// flushTallies adds one unconditional ADD per tally item whose moves do not cancel out.
func (p *plan) flushTallies() {
	for _, key := range p.tallyKeys {
		id := tallyID(key)
		if p.tallies[id] == 0 {
			continue
		}
		x := expr{}
		update := "ADD " + x.name(attrCounter) + " " + x.value(number(p.tallies[id])) + " SET " + x.name(attrType) + " = " + x.value(strAV(typeTally))
		u := x.update(p.s.table, key, update)
		u.ConditionExpression = nil
		p.add(origin{-1, -1, roleTally}, types.TransactWriteItem{Update: u})
	}
}

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

// listByCreation is List in a creation order: a Query of by_created on the collection's group,
// one way or the other, starting after the cursor's position or past Offset live entries. It
// reads one entry more than the page, so Next is "" exactly on the last page. A page of
// records (not entries) then reads its records from the table by key.
func (s *Store) listByCreation(ctx context.Context, q store.Query, key []byte) (store.Page, error) {
	pk := pkOf(store.Ref{Service: q.Service, Tenant: q.Tenant})
	gk := groupKey(q.Kind, q.Prefix)
	var start map[string]types.AttributeValue
	if q.Cursor != "" {
		pos, err := cursor.Open(key, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		created, id, err := cursor.ParsePosition(pos)
		if err != nil {
			return store.Page{}, err
		}
		after := store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: id}
		start = keyOf(after)
		start[AttrCreatedIx] = strAV(createdKey(after, created.UnixMilli()))
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
	in.Select = types.SelectAllProjectedAttributes
	var entries []store.Record
	for len(entries) <= limit {
		in.ExclusiveStartKey = start
		in.Limit = aws.Int32(int32(limit + 1 - len(entries)))
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return store.Page{}, indexErr("list", IndexCreated, err)
		}
		for _, item := range out.Items {
			rec, err := decodeRecord(item)
			if err != nil {
				return store.Page{}, err
			}
			entries = append(entries, rec)
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		start = out.LastEvaluatedKey
	}
	var page store.Page
	if len(entries) > limit {
		last := entries[limit-1]
		page.Next = cursor.Make(key, q, cursor.Position(last.CreatedAt, last.ID))
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
