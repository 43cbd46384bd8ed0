package listsecrets

import (
	"math"
	"net/url"
	"strconv"
	"testing"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/store"
)

// FuzzList: any query string decodes to a client fault or to a query within Barbican's paging
// bounds, whose page of any number of matches never panics, holds at most limit secrets from
// offset on, counts them all, and links only pages that exist with hrefs that parse back.
func FuzzList(f *testing.F) {
	for _, s := range []string{"", "limit=5&offset=10&name=a%25&sort=created:desc",
		"created=gt:2020-01-01T00:00:00Z,lt:2030-01-01", "bits=256&secret_type=opaque&alg=aes&mode=cbc", "sort=name,name",
		"offset=9223372036854775807", "limit=100&offset=9223372036854775707", "limit=100&offset=9223372036854775800&name=x"} {
		f.Add(s, uint8(3))
	}
	recs := make([]store.Record, 256)
	for i := range recs {
		recs[i] = store.Record{Ref: kmsecret.Ref("p", strconv.Itoa(i))}
	}
	f.Fuzz(func(t *testing.T, raw string, n uint8) {
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
		for _, p := range []*like{q.name, q.alg, q.mode} {
			if p != nil {
				p.match(raw)
			}
		}
		checkPage(t, q, recs[:n])
	})
}

// checkPage renders q's page of recs and checks it against the window it should show.
func checkPage(t *testing.T, q query, recs []store.Record) {
	t.Helper()
	p := q.paginate(recs, "http://h/v1")
	first := q.offset // the index of the page's first secret
	if p.Total != len(recs) || len(p.Secrets) > q.limit || first >= len(recs) && len(p.Secrets) != 0 ||
		first < len(recs) && len(p.Secrets) != min(q.limit, len(recs)-first) {
		t.Fatalf("offset %d limit %d of %d: got %d secrets, total %d", q.offset, q.limit, len(recs), len(p.Secrets), p.Total)
	}
	if len(p.Secrets) > 0 && p.Secrets[0].SecretRef != "http://h/v1/secrets/"+recs[first].ID {
		t.Fatalf("offset %d: the page starts at %s", q.offset, p.Secrets[0].SecretRef)
	}
	if wantNext := q.offset < math.MaxInt-q.limit && q.offset+q.limit < len(recs); (p.Next != "") != wantNext {
		t.Fatalf("offset %d limit %d of %d: next %q, want one: %v", q.offset, q.limit, len(recs), p.Next, wantNext)
	}
	if (p.Previous != "") != (q.offset > 0) {
		t.Fatalf("offset %d: previous %q", q.offset, p.Previous)
	}
	for _, href := range []string{p.Next, p.Previous} {
		if href == "" {
			continue
		}
		u, err := url.Parse(href)
		if err != nil {
			t.Fatalf("href %q does not parse: %v", href, err)
		}
		if o, err := strconv.Atoi(u.Query().Get("offset")); err != nil || o < 0 {
			t.Fatalf("href %q: offset %q", href, u.Query().Get("offset"))
		}
	}
}
