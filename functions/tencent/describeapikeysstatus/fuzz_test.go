package describeapikeysstatus

import (
	"testing"

	"keyport/shared/api/tencent"
	"keyport/shared/fault"
)

// FuzzDecodeDescribeApiKeysStatus: any body decodes to a bounded query or a client fault, never
// a panic; an accepted query's filters are all supported names with 1-100 values.
func FuzzDecodeDescribeApiKeysStatus(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"Limit":100,"Offset":0}`, `{"Limit":101}`, `{"Offset":-1}`, `{"Limit":0}`,
		`{"Filters":[{"Name":"AccessKeyId","Values":["a","b"]},{"Name":"Status","Values":["0"]}]}`,
		`{"Filters":[{"Name":"KeyWord","Values":[]}]}`, `{"Filters":[{"Name":"Path","Values":["x"]}]}`,
		`{"Filters":[{"Name":"Status","Values":["2"]}]}`, `{"Filters":{}}`, `{"Limit":1e99}`,
		`{"Offset":9223372036854775807}`, `[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		q, err := tencent.Parse[request](body)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("got a non-client error %v", err)
			}
			return
		}
		if q.limit < 1 || q.limit > maxLimit || q.offset < 0 || len(q.Filters) > maxFilters {
			t.Fatalf("accepted %+v", q)
		}
		for _, total := range []int{0, 1, 99, 500} { // the page the paging cuts out of total keys
			if lo, hi := q.window(total); lo < 0 || hi < lo || hi > total || hi-lo > q.limit {
				t.Fatalf("got window %d..%d of %d for %+v", lo, hi, total, q)
			}
		}
		for _, fl := range q.Filters {
			if !matchesKnownName(fl.Name) || len(fl.Values) == 0 || len(fl.Values) > maxValues {
				t.Fatalf("accepted filter %+v", fl)
			}
		}
	})
}

func matchesKnownName(n string) bool {
	for _, k := range filterNames {
		if n == k {
			return true
		}
	}
	return false
}
