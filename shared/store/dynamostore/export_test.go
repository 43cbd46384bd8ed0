package dynamostore

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
)

// SetNow sets the store's clock, so items written through Apply and through SeedItems match.
func SetNow(s *Store, now func() time.Time) { s.now = now }

// SeedItems returns the items an Apply of one create (Put without IfVersion) per record writes
// into an empty table at now, tally items included: what the tests and benchmarks load with
// BatchWriteItem, because moto copies the whole table for each TransactWriteItems, so creating
// 100,000 records through Apply takes hours. TestSeedMatchesApply checks the two agree.
func SeedItems(s *Store, recs []store.Record, now time.Time) ([]map[string]types.AttributeValue, error) {
	p := &plan{s: s, now: now}
	var items []map[string]types.AttributeValue
	for _, r := range recs {
		item, err := encodeRecord(r, 1, now)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
		for _, c := range r.Claims {
			items = append(items, claimItem(c, r))
		}
		p.tally(r, +1)
	}
	for _, key := range p.tallyKeys {
		item := map[string]types.AttributeValue{attrPK: key[attrPK], attrSK: key[attrSK], attrType: strAV(typeTally)}
		item[attrCounter] = number(p.tallies[tallyID(key)])
		items = append(items, item)
	}
	return items, nil
}
