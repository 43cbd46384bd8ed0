package dynamotest

import (
	"context"
	"regexp"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store/dynamostore"
)

// Meter passes calls to DB and, while on, adds up what DynamoDB would charge the reads: the
// items each Query evaluated (before its filter; index entries for an index Query) and each
// BatchGetItem read, their bytes, and the read units, by DynamoDB's documented rule for
// strongly consistent reads: a Query costs one unit per 4 KB of the summed size of the items it
// evaluated, rounded up (at least one); a GetItem or each key of a BatchGetItem one per 4 KB of
// its item, rounded up (one for a missing item). Item size is the sum of its attribute names
// and values (ItemSize).
//
// Why by rule: moto 5.2.1 answers ReturnConsumedCapacity with a constant (1.0 per call),
// whatever was read. To learn what a Query evaluated, whose filter may drop entries or whose
// Select COUNT returns none, the meter sends the same Query once more without its filter,
// projection and Select (the shadow is not counted), so it doubles moto's work while on.
type Meter struct {
	DB dynamostore.API

	mu    sync.Mutex
	on    bool
	usage Usage
}

// Usage is what the metered reads cost.
type Usage struct {
	Calls     int     // Query, GetItem and BatchGetItem requests
	Items     int     // items (or index entries) read
	Sealed    int     // of them, those holding a sealed value: whole records
	Bytes     int     // their summed size
	ReadUnits float64 // strongly consistent read units
}

// Start turns metering on and clears the usage.
func (m *Meter) Start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.on, m.usage = true, Usage{}
}

// Stop turns metering off and returns the usage since Start.
func (m *Meter) Stop() Usage {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.on = false
	return m.usage
}

func (m *Meter) metering() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.on
}

func (m *Meter) charge(calls int, items []map[string]types.AttributeValue, perItem bool) {
	u := Usage{Calls: calls, Items: len(items)}
	units := 0
	for _, it := range items {
		if _, ok := it["sealed"]; ok {
			u.Sealed++
		}
		n := ItemSize(it)
		u.Bytes += n
		if perItem {
			units += max(1, (n+4095)/4096)
		}
	}
	if !perItem {
		units = max(1, (u.Bytes+4095)/4096)
	}
	u.ReadUnits = float64(units)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.usage.Calls += u.Calls
	m.usage.Items += u.Items
	m.usage.Sealed += u.Sealed
	m.usage.Bytes += u.Bytes
	m.usage.ReadUnits += u.ReadUnits
}

var placeholder = regexp.MustCompile(`[#:][A-Za-z0-9_]+`)

func (m *Meter) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := m.DB.Query(ctx, in, opts...)
	if err != nil || !m.metering() {
		return out, err
	}
	shadow := *in
	shadow.FilterExpression, shadow.ProjectionExpression, shadow.Select = nil, nil, ""
	// DynamoDB refuses placeholders an expression does not use: keep the key condition's.
	used := map[string]bool{}
	for _, p := range placeholder.FindAllString(*in.KeyConditionExpression, -1) {
		used[p] = true
	}
	shadow.ExpressionAttributeNames, shadow.ExpressionAttributeValues = map[string]string{}, map[string]types.AttributeValue{}
	for k, v := range in.ExpressionAttributeNames {
		if used[k] {
			shadow.ExpressionAttributeNames[k] = v
		}
	}
	for k, v := range in.ExpressionAttributeValues {
		if used[k] {
			shadow.ExpressionAttributeValues[k] = v
		}
	}
	read, err := m.DB.Query(ctx, &shadow, opts...)
	if err != nil {
		return out, err
	}
	m.charge(1, read.Items, false)
	return out, nil
}

func (m *Meter) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	out, err := m.DB.BatchGetItem(ctx, in, opts...)
	if err == nil && m.metering() {
		var items []map[string]types.AttributeValue
		asked := 0
		for _, ka := range in.RequestItems {
			asked += len(ka.Keys)
		}
		for _, got := range out.Responses {
			items = append(items, got...)
		}
		for _, left := range out.UnprocessedKeys {
			asked -= len(left.Keys)
		}
		m.charge(1, items, true)
		m.mu.Lock()
		m.usage.ReadUnits += float64(asked - len(items)) // missing items still cost one each
		m.mu.Unlock()
	}
	return out, err
}

func (m *Meter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	out, err := m.DB.GetItem(ctx, in, opts...)
	if err == nil && m.metering() {
		var items []map[string]types.AttributeValue
		if out.Item != nil {
			items = append(items, out.Item)
		}
		m.charge(1, items, true)
	}
	return out, err
}

func (m *Meter) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	return m.DB.TransactWriteItems(ctx, in, opts...)
}

func (m *Meter) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return m.DB.PutItem(ctx, in, opts...)
}

func (m *Meter) Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	return m.DB.Scan(ctx, in, opts...)
}

// ItemSize is an item's size by DynamoDB's rule: each attribute's name in UTF-8 bytes plus its
// value's size (AttrSize).
func ItemSize(item map[string]types.AttributeValue) int {
	n := 0
	for k, v := range item {
		n += len(k) + AttrSize(v)
	}
	return n
}

// AttrSize is a value's size by DynamoDB's rule: a string's or binary's bytes; a number's
// significant digits halved, plus one; a boolean or null one byte; a list or map three bytes,
// plus one byte and the size of each element (and a map element's name).
func AttrSize(v types.AttributeValue) int {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return len(v.Value)
	case *types.AttributeValueMemberB:
		return len(v.Value)
	case *types.AttributeValueMemberN:
		digits := 0
		for _, r := range v.Value {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		return (digits+1)/2 + 1
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range v.Value {
			n += 1 + AttrSize(e)
		}
		return n
	case *types.AttributeValueMemberM:
		n := 3
		for k, e := range v.Value {
			n += 1 + len(k) + AttrSize(e)
		}
		return n
	case *types.AttributeValueMemberSS:
		n := 0
		for _, e := range v.Value {
			n += len(e)
		}
		return n
	}
	return 0
}
