package listsecrets

import (
	"net/url"
	"testing"

	"keyport/shared/fault"
)

// FuzzDecode: any query string decodes to a client fault or to a query within Barbican's
// paging bounds, and its navigation href parses back.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "limit=5&offset=10&name=a%25&sort=created:desc",
		"created=gt:2020-01-01T00:00:00Z,lt:2030-01-01", "bits=256&secret_type=opaque&alg=aes&mode=cbc", "sort=name,name"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := decode(v)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("decode(%q): got internal error %v", raw, err)
			}
			return
		}
		if q.limit < 1 || q.limit > maxLimit || q.offset < 0 {
			t.Fatalf("decode(%q): limit %d offset %d out of bounds", raw, q.limit, q.offset)
		}
		if _, err := url.Parse(q.href("http://h/v1", q.offset+q.limit)); err != nil {
			t.Fatalf("href of %q does not parse: %v", raw, err)
		}
		for _, p := range []*like{q.name, q.alg, q.mode} {
			if p != nil {
				p.match(raw)
			}
		}
	})
}
