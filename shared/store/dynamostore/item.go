package dynamostore

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
)

// The table's attribute names. The infra stack (key schema, TTL attribute) and IAM conditions
// depend on them; do not rename.
const (
	attrPK      = "pk"         // S, partition key: Service + "#" + Tenant
	attrSK      = "sk"         // S, sort key: Kind + "#" + ID
	attrType    = "type"       // S, one of the item types below
	attrVersion = "v"          // N, records only
	attrAttrs   = "attrs"      // M of S, N, BOOL or L of S: a record's typed attributes
	attrSealed  = "sealed"     // B
	attrClaims  = "claims"     // L of M{pk, sk}: the claims a record holds
	attrCreated = "created_at" // N, unix milliseconds
	attrUpdated = "updated_at" // N, unix milliseconds
	attrExpires = "expires_at" // N, unix seconds; the table's TTL attribute
	attrOwnerPK = "owner_pk"   // S, claims only: the owner record's pk
	attrOwnerSK = "owner_sk"   // S, claims only: the owner record's sk
	attrCounter = "n"          // N, counters only
	attrKey     = "key"        // B, the meta item's cursor key
)

// The item types. Records, claims and counters share one key space (a claim's or counter's
// Ref gives its pk and sk) and are told apart by attrType.
const (
	typeRecord  = "record"
	typeClaim   = "claim"
	typeCounter = "counter"
	typeMeta    = "meta"
)

// The meta item holding the cursor key. No record can have this key: every record sk holds a
// '#', and "cursor-key" does not.
const (
	metaPK = CursorKeyPartition
	metaSK = "cursor-key"
)

func pkOf(r store.Ref) string { return r.Service + "#" + r.Tenant }
func skOf(r store.Ref) string { return r.Kind + "#" + r.ID }

func keyOf(r store.Ref) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: strAV(pkOf(r)), attrSK: strAV(skOf(r))}
}

// refOf reads a ref back from its pk and sk. Service and Kind never hold '#', so the first '#'
// of each splits them.
func refOf(pk, sk string) (store.Ref, error) {
	service, tenant, ok1 := strings.Cut(pk, "#")
	kind, id, ok2 := strings.Cut(sk, "#")
	if !ok1 || !ok2 {
		return store.Ref{}, fmt.Errorf("dynamostore: malformed key %q/%q", pk, sk)
	}
	return store.Ref{Service: service, Tenant: tenant, Kind: kind, ID: id}, nil
}

// encodeRecord turns r into an item at version, updated at updated. attrs is always present
// (possibly empty), so an Update can SET attrs.<name> on any record.
func encodeRecord(r store.Record, version int64, updated time.Time) (map[string]types.AttributeValue, error) {
	attrs, err := encodeAttrs(r.Attrs)
	if err != nil {
		return nil, err
	}
	item := keyOf(r.Ref)
	item[attrType] = strAV(typeRecord)
	item[attrVersion] = number(version)
	item[attrAttrs] = &types.AttributeValueMemberM{Value: attrs}
	if len(r.Sealed) > 0 {
		item[attrSealed] = &types.AttributeValueMemberB{Value: r.Sealed}
	}
	if len(r.Claims) > 0 {
		l := make([]types.AttributeValue, len(r.Claims))
		for i, c := range r.Claims {
			l[i] = &types.AttributeValueMemberM{Value: keyOf(c)}
		}
		item[attrClaims] = &types.AttributeValueMemberL{Value: l}
	}
	item[attrCreated] = number(r.CreatedAt.UnixMilli())
	item[attrUpdated] = number(updated.UnixMilli())
	if !r.ExpiresAt.IsZero() {
		item[attrExpires] = number(ceilSeconds(r.ExpiresAt))
	}
	indexAttrs(item, r)
	return item, nil
}

func encodeAttrs(a store.Attrs) (map[string]types.AttributeValue, error) {
	m := make(map[string]types.AttributeValue, len(a))
	for k, v := range a {
		av, err := encodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("dynamostore: attribute %q: %w", k, err)
		}
		m[k] = av
	}
	return m, nil
}

// encodeValue maps each attribute type to its own DynamoDB type, which is what brings the
// type back on reading: S, N (exact decimal), BOOL, and L of S (a list keeps order and
// duplicates, which a string set would not).
func encodeValue(v any) (types.AttributeValue, error) {
	switch v := v.(type) {
	case string:
		return strAV(v), nil
	case int64:
		return number(v), nil
	case bool:
		return &types.AttributeValueMemberBOOL{Value: v}, nil
	case []string:
		l := make([]types.AttributeValue, len(v))
		for i, e := range v {
			l[i] = strAV(e)
		}
		return &types.AttributeValueMemberL{Value: l}, nil
	}
	return nil, fmt.Errorf("unsupported type %T", v)
}

func decodeValue(av types.AttributeValue) (any, error) {
	switch av := av.(type) {
	case *types.AttributeValueMemberS:
		return av.Value, nil
	case *types.AttributeValueMemberN:
		return strconv.ParseInt(av.Value, 10, 64)
	case *types.AttributeValueMemberBOOL:
		return av.Value, nil
	case *types.AttributeValueMemberL:
		l := make([]string, len(av.Value))
		for i, e := range av.Value {
			es, ok := e.(*types.AttributeValueMemberS)
			if !ok {
				return nil, fmt.Errorf("list element %d is %T", i, e)
			}
			l[i] = es.Value
		}
		return l, nil
	}
	return nil, fmt.Errorf("unsupported attribute value %T", av)
}

// decodeRecord is encodeRecord's inverse. An item of the wrong shape is an internal error:
// only this package writes the table.
func decodeRecord(item map[string]types.AttributeValue) (store.Record, error) {
	pk, _ := str(item, attrPK)
	sk, _ := str(item, attrSK)
	ref, err := refOf(pk, sk)
	if err != nil {
		return store.Record{}, err
	}
	r := store.Record{Ref: ref}
	if r.Attrs, err = decodeAttrs(item); err != nil {
		return store.Record{}, fmt.Errorf("dynamostore: record %s: %w", ref, err)
	}
	if b, ok := item[attrSealed].(*types.AttributeValueMemberB); ok {
		r.Sealed = b.Value
	}
	if r.Claims, err = decodeClaims(item); err != nil {
		return store.Record{}, fmt.Errorf("dynamostore: record %s: %w", ref, err)
	}
	if err := decodeTimes(item, &r); err != nil {
		return store.Record{}, fmt.Errorf("dynamostore: record %s: %w", ref, err)
	}
	return r, nil
}

func decodeAttrs(item map[string]types.AttributeValue) (store.Attrs, error) {
	m, ok := item[attrAttrs].(*types.AttributeValueMemberM)
	if !ok || len(m.Value) == 0 {
		return nil, nil
	}
	a := make(store.Attrs, len(m.Value))
	for k, av := range m.Value {
		v, err := decodeValue(av)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", k, err)
		}
		a[k] = v
	}
	return a, nil
}

func decodeClaims(item map[string]types.AttributeValue) ([]store.Ref, error) {
	l, ok := item[attrClaims].(*types.AttributeValueMemberL)
	if !ok {
		return nil, nil
	}
	refs := make([]store.Ref, len(l.Value))
	for i, e := range l.Value {
		m, ok := e.(*types.AttributeValueMemberM)
		if !ok {
			return nil, fmt.Errorf("claim %d is %T", i, e)
		}
		pk, _ := str(m.Value, attrPK)
		sk, _ := str(m.Value, attrSK)
		ref, err := refOf(pk, sk)
		if err != nil {
			return nil, err
		}
		refs[i] = ref
	}
	return refs, nil
}

func decodeTimes(item map[string]types.AttributeValue, r *store.Record) error {
	var err error
	if r.Version, err = integer(item, attrVersion); err != nil {
		return err
	}
	created, err := integer(item, attrCreated)
	if err != nil {
		return err
	}
	updated, err := integer(item, attrUpdated)
	if err != nil {
		return err
	}
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if _, ok := item[attrExpires]; ok {
		sec, err := integer(item, attrExpires)
		if err != nil {
			return err
		}
		r.ExpiresAt = time.Unix(sec, 0).UTC()
	}
	return nil
}

// claimItem is the item of claim c held by owner, expiring with it.
func claimItem(c store.Ref, owner store.Record) map[string]types.AttributeValue {
	item := keyOf(c)
	item[attrType] = strAV(typeClaim)
	item[attrOwnerPK] = strAV(pkOf(owner.Ref))
	item[attrOwnerSK] = strAV(skOf(owner.Ref))
	if !owner.ExpiresAt.IsZero() {
		item[attrExpires] = number(ceilSeconds(owner.ExpiresAt))
	}
	return item
}

// isLiveRecord reports whether item is a record that has not expired at now.
func isLiveRecord(item map[string]types.AttributeValue, now time.Time) bool {
	if t, _ := str(item, attrType); item == nil || t != typeRecord {
		return false
	}
	if _, ok := item[attrExpires]; !ok {
		return true
	}
	sec, err := integer(item, attrExpires)
	return err != nil || now.Unix() < sec // an unreadable expiry counts as live: safer
}

func strAV(v string) *types.AttributeValueMemberS { return &types.AttributeValueMemberS{Value: v} }

func str(item map[string]types.AttributeValue, name string) (string, bool) {
	v, ok := item[name].(*types.AttributeValueMemberS)
	if !ok {
		return "", false
	}
	return v.Value, true
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
	sec := t.Unix()
	if t.Sub(time.Unix(sec, 0)) > 0 {
		sec++
	}
	return sec
}
