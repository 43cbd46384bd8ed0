package dynamostore

import (
	"hash/fnv"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/internal/tally"
)

// The indexes of an indexed kind (store.DeclareIndex; docs/store.md, and docs/deploy.md "The
// table's indexes"). All three are local secondary indexes of the table (hash key pk, like the
// table), because only a local index answers a ConsistentRead Query, and the contract lists a
// record as soon as its Apply returned.
// All are sparse: only records of an indexed kind carry their sort key attributes.
//
//   - by_created, sort key lc = Kind "#" Group "#" created "#" ID (created: the creation
//     millisecond as 16 hex digits, sign bit flipped, so the strings sort as the times do),
//     projecting every non-secret attribute of the record, so a page of entries, an offset
//     and a filter over attributes read the index alone, never a sealed value;
//   - by_expiry, sort key le = Kind "#" Group "#" expires "#" ID (expires: the TTL second,
//     encoded alike), keys only, on records that expire: Count reads today's live ones there;
//   - by_attr, sort key la = Kind "#" Group "#" value, on the records of a kind with an attribute
//     index (store.DeclareAttrIndex) whose attribute is a string, projecting what by_created
//     does (listattr.go). It is not unique: DynamoDB orders equal sort keys of a local index by
//     the table's key (sk, so by id), the same on every page.
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
	IndexAttr     = "by_attr"
	AttrValueIx   = "la" // S, by_attr's sort key

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

// maxKey is DynamoDB's limit on a sort key, an index's included: 1024 bytes.
const maxKey = 1024

// valueKey is by_attr's sort key for value in (kind, group): the group key, then value, cut (at
// a rune boundary, so the key stays UTF-8) where the key would pass maxKey. Cutting keeps the
// order of values and their prefixes: two values that differ within the kept bytes sort as
// they do, a prefix that fits selects exactly the values that begin with it, and values that
// agree on every kept byte share a key and come by id (listattr.go filters on the whole value
// where a prefix is longer than the key keeps). With a group key of a few bytes, that is only
// values over a thousand bytes: a Barbican name of 255 characters that are 4 bytes each.
func valueKey(kind, group, value string) string {
	gk := groupKey(kind, group)
	return gk + cut(value, maxKey-len(gk))
}

// cut returns the longest beginning of s of at most n bytes that ends at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
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
	if v, ok := store.AttrValue(r); ok {
		item[AttrValueIx] = strAV(valueKey(r.Kind, store.Group(r.ID), v))
	}
}

// attrMove is what an Update that sets the indexed attribute of an indexable record does to
// its by_attr key: SET it to key when the new value is a string (has), REMOVE it when the value
// is nil or of another type. moved is false when the update leaves the attribute alone. No
// read is needed: the key holds neither the creation time nor anything else of the record.
func attrMove(u *store.Update) (key string, has, moved bool) {
	r := u.Ref
	attr := store.AttrIndex(r.Service, r.Kind)
	if attr == "" || !indexable(r) {
		return "", false, false
	}
	v, moved := u.Set[attr]
	if !moved {
		return "", false, false
	}
	if s, ok := v.(string); ok {
		return valueKey(r.Kind, store.Group(r.ID), s), true, true
	}
	return "", false, true
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
