package dynamostore

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
)

// The table's attribute names. The infra stack (partition key, TTL attribute) and IAM
// conditions depend on them; do not rename.
const (
	attrKey     = "pk"         // S, partition key: Record.Key or Counter.Key
	attrService = "service"    // S
	attrTenant  = "tenant"     // S
	attrAttrs   = "attrs"      // M of S
	attrSealed  = "sealed"     // B
	attrCreated = "created_at" // N, unix milliseconds
	attrExpires = "expires_at" // N, unix seconds; the table's TTL attribute
	attrCounter = "n"          // N, only on counter items
)

func keyOf(key string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrKey: &types.AttributeValueMemberS{Value: key}}
}

func isCounter(item map[string]types.AttributeValue) bool {
	_, ok := item[attrCounter]
	return ok
}

// encodeItem turns r into an item. Empty values are left out rather than stored empty, so a
// claim record (no secret, no attrs) is just its key, service, tenant and times.
func encodeItem(r store.Record) map[string]types.AttributeValue {
	item := keyOf(r.Key)
	putString(item, attrService, r.Service)
	putString(item, attrTenant, r.Tenant)
	if len(r.Attrs) > 0 {
		m := make(map[string]types.AttributeValue, len(r.Attrs))
		for k, v := range r.Attrs {
			m[k] = &types.AttributeValueMemberS{Value: v}
		}
		item[attrAttrs] = &types.AttributeValueMemberM{Value: m}
	}
	if len(r.Sealed) > 0 {
		item[attrSealed] = &types.AttributeValueMemberB{Value: r.Sealed}
	}
	item[attrCreated] = number(r.CreatedAt.UnixMilli())
	if !r.ExpiresAt.IsZero() {
		item[attrExpires] = number(ceilSeconds(r.ExpiresAt))
	}
	return item
}

func putString(item map[string]types.AttributeValue, name, v string) {
	if v != "" {
		item[name] = &types.AttributeValueMemberS{Value: v}
	}
}

// decodeItem is encodeItem's inverse. An item of the wrong shape is an internal error: only
// this package writes the table.
func decodeItem(item map[string]types.AttributeValue) (store.Record, error) {
	var r store.Record
	r.Key, _ = str(item, attrKey)
	r.Service, _ = str(item, attrService)
	r.Tenant, _ = str(item, attrTenant)
	if m, ok := item[attrAttrs].(*types.AttributeValueMemberM); ok {
		r.Attrs = make(map[string]string, len(m.Value))
		for k, v := range m.Value {
			s, ok := v.(*types.AttributeValueMemberS)
			if !ok {
				return store.Record{}, fmt.Errorf("dynamostore: record %q: attr %q is not a string", r.Key, k)
			}
			r.Attrs[k] = s.Value
		}
	}
	if b, ok := item[attrSealed].(*types.AttributeValueMemberB); ok {
		r.Sealed = b.Value
	}
	ms, err := integer(item, attrCreated)
	if err != nil {
		return store.Record{}, fmt.Errorf("dynamostore: record %q: %w", r.Key, err)
	}
	r.CreatedAt = time.UnixMilli(ms).UTC()
	if _, ok := item[attrExpires]; ok {
		sec, err := integer(item, attrExpires)
		if err != nil {
			return store.Record{}, fmt.Errorf("dynamostore: record %q: %w", r.Key, err)
		}
		r.ExpiresAt = time.Unix(sec, 0).UTC()
	}
	return r, nil
}

func str(item map[string]types.AttributeValue, name string) (string, bool) {
	s, ok := item[name].(*types.AttributeValueMemberS)
	if !ok {
		return "", false
	}
	return s.Value, true
}

func integer(item map[string]types.AttributeValue, name string) (int64, error) {
	n, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("%s is missing or not a number", name)
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

func number(v int64) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func unixSeconds(t time.Time) *types.AttributeValueMemberN {
	return number(t.Unix())
}

// ceilSeconds rounds t up to a whole second (the TTL attribute's unit), so a record is never
// treated as expired before the instant it was given; it may outlive it by under a second.
func ceilSeconds(t time.Time) int64 {
	s := t.Unix()
	if t.Sub(time.Unix(s, 0)) > 0 {
		s++
	}
	return s
}
