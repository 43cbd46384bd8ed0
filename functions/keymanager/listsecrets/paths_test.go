package listsecrets

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/functions/keymanager/createsecret"
	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
	"keyport/shared/pages/pagestest"
	"keyport/shared/store"
)

const otherProject = "0123456789abcdef0123456789abcdef"

// seeded creates secrets through the K5 create (so the records are the create's own) in the
// development project and another, with random names, algorithms, bit lengths, types and
// payloads or none, at random instants a few per millisecond, microseconds apart or equal; and
// writes them in large transactions. It returns the store.
func seeded(t testing.TB, rng *rand.Rand, counts map[string]int) store.Store {
	t.Helper()
	data := localdatatest.Open(t)
	capture := pagestest.NewCapture(data.Store)
	book, err := credentials.FromDocument(credentials.Document{K5: []credentials.K5Token{
		{Token: credentials.DevK5Token, Tenant: credentials.DevK5Tenant}, {Token: "other-token", Tenant: otherProject}}})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time {
		return base.Add(time.Duration(rng.IntN(300))*time.Millisecond + time.Duration(rng.IntN(3))*time.Microsecond)
	}
	create := createsecret.Row(keymanager.K5).Serve(operation.Deps{Store: capture, Sealer: data.Sealer, Creds: book, Now: clock})
	for project, n := range counts {
		token := map[string]string{credentials.DevK5Tenant: credentials.DevK5Token, otherProject: "other-token"}[project]
		for i := range n {
			body := map[string]any{"secret_type": []string{"opaque", "symmetric"}[rng.IntN(2)]}
			if rng.IntN(3) > 0 {
				body["name"] = fmt.Sprintf("%c-%d", 'a'+rng.IntN(3), i)
			}
			if rng.IntN(2) == 0 {
				body["algorithm"], body["bit_length"] = []string{"aes", "rsa"}[rng.IntN(2)], []int{128, 256}[rng.IntN(2)]
			}
			if rng.IntN(2) == 0 {
				body["payload"], body["payload_content_type"], body["payload_content_encoding"] = "/wA=", "application/octet-stream", "base64"
			}
			b, _ := json.Marshal(body)
			r := httptest.NewRequest(http.MethodPost, "/v1/"+project+"/secrets", strings.NewReader(string(b)))
			r.Header.Set("X-Auth-Token", token)
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			create.ServeHTTP(w, r)
			if w.Code != http.StatusCreated {
				t.Fatalf("create %s: %d %s", b, w.Code, w.Body)
			}
		}
	}
	if err := capture.Flush(context.Background(), data.Store, 1000); err != nil {
		t.Fatal(err)
	}
	return data.Store
}

// reference is page lq computed from every full record of the project: kept, ordered by the
// sort keys and then by creation millisecond and id, and cut; items rendered from the records
// (MetadataOf, whose content_types comes from the sealed payload itself).
func reference(t *testing.T, st store.Lister, project string, lq query, visible func(store.Record) bool) page {
	var all []store.Record
	for rec, err := range store.All(context.Background(), st, store.Query{Service: kmsecret.Service, Tenant: project, Kind: kmsecret.Kind}) {
		if err != nil {
			t.Fatal(err)
		}
		if !lq.aclOnly && lq.keep(rec) && visible(rec) {
			all = append(all, rec)
		}
	}
	slices.SortFunc(all, func(a, b store.Record) int {
		return cmp.Or(lq.compare(a, b), cmp.Compare(a.CreatedAt.UnixMilli(), b.CreatedAt.UnixMilli()), strings.Compare(a.ID, b.ID))
	})
	start := min(lq.offset, len(all))
	end := start + min(lq.limit, len(all)-start)
	out := lq.render(nil, len(all), "http://h/v1/"+project)
	for _, rec := range all[start:end] {
		out.Secrets = append(out.Secrets, kmsecret.MetadataOf(rec, "http://h/v1/"+project+"/secrets/"+rec.ID))
	}
	return out
}

// TestPathsAgree: in a random project of a few hundred secrets beside another project's, every
// page (random offsets and limits, past the end included; with random filters and sort keys;
// for a caller that certainly sees all, one that sees all without the certainty, and one that
// sees some) equals the page computed from every full record.
func TestPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	st := seeded(t, rng, map[string]int{credentials.DevK5Tenant: 300, otherProject: 40})
	counting := pagestest.NewCounting(st)
	all := func(store.Record) bool { return true }
	some := func(rec store.Record) bool { return strings.ContainsAny(rec.ID[:1], "0123456") }
	filters := []string{"", "name=a%25", "name=b-1", "name=c-1_", "name=_-2%25", "name=a-", "name=%25-3", "alg=aes", "bits=256", "secret_type=opaque", "created=gt:2030-01-02T03:04:05.100",
		"sort=name:desc", "sort=bit_length,created:desc", "sort=algorithm:asc,name", "acl_only=true", "mode=x"}
	for i := range 400 {
		raw := fmt.Sprintf("limit=%d&offset=%d&%s", 1+rng.IntN(100), rng.IntN(330), filters[rng.IntN(len(filters))])
		v, _ := url.ParseQuery(raw)
		lq, err := decode(v)
		if err != nil {
			t.Fatal(err)
		}
		showsAll, visible := true, all
		switch rng.IntN(3) {
		case 1:
			showsAll = false
		case 2:
			showsAll, visible = false, some
		}
		counting.Reset()
		got, err := answer(context.Background(), counting, credentials.DevK5Tenant, "http://h/v1/"+credentials.DevK5Tenant, lq, showsAll, visible)
		if err != nil {
			t.Fatal(err)
		}
		want := reference(t, st, credentials.DevK5Tenant, lq, visible)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			t.Fatalf("case %d (%s, shows all %v):\n got %s\nwant %s", i, raw, showsAll, gj, wj)
		}
		if fast := showsAll && lq.unfiltered() && !lq.aclOnly; fast != (counting.Reads().Records <= int64(lq.limit)) && want.Total > lq.limit {
			t.Fatalf("case %d (%s): read %d records, fast path %v", i, raw, counting.Reads().Records, fast)
		}
		if counting.Reads().Bytes > counting.Reads().Records*400 {
			t.Fatalf("case %d (%s): %d bytes for %d records: sealed payloads read?", i, raw, counting.Reads().Bytes, counting.Reads().Records)
		}
	}
}

// TestPageReadsItsItems: in a project of 2,000 secrets a page of 100 reads 100 index entries at
// offset 0 and at a deep offset, while a caller who may not see one secret scans the 2,000 and
// does not see it.
func TestPageReadsItsItems(t *testing.T) {
	st := seeded(t, rand.New(rand.NewPCG(15, 16)), map[string]int{credentials.DevK5Tenant: 2000})
	counting := pagestest.NewCounting(st)
	base := "http://h/v1/" + credentials.DevK5Tenant
	all := func(store.Record) bool { return true }
	for _, offset := range []int{0, 1800} {
		counting.Reset()
		p, err := answer(context.Background(), counting, credentials.DevK5Tenant, base, query{limit: 100, offset: offset}, true, all)
		if r := counting.Reads(); err != nil || len(p.Secrets) != 100 || p.Total != 2000 || r.Records != 100 {
			t.Errorf("offset %d: %v, %d secrets of %d, read %d records; want 100 of 2000, reading 100", offset, err, len(p.Secrets), p.Total, r.Records)
		}
	}
	// A name filter without wildcards reads the entries of that name, one that begins with a
	// literal those of the names that begin with it, from the attribute index: not the
	// project's 2,000.
	read := map[string]int64{} // pattern → the entries it may read
	var names []string
	for rec, err := range store.All(context.Background(), st, store.Query{Service: kmsecret.Service, Tenant: credentials.DevK5Tenant, Kind: kmsecret.Kind}) {
		if err != nil {
			t.Fatal(err)
		}
		if name, ok := rec.Attrs["name"].(string); ok {
			names = append(names, name)
		}
	}
	exact := names[len(names)/2]
	for _, name := range names {
		if name == exact {
			read[exact]++
		}
		if strings.HasPrefix(name, "c-12") {
			read["c-12%"]++
		}
	}
	for _, pattern := range []string{exact, "zz-none", "c-12%"} {
		lq, err := decode(url.Values{"name": {pattern}})
		if err != nil {
			t.Fatal(err)
		}
		counting.Reset()
		p, err := answer(context.Background(), counting, credentials.DevK5Tenant, base, lq, true, all)
		if r := counting.Reads(); err != nil || r.Records != read[pattern] || int64(p.Total) != read[pattern] {
			t.Errorf("name=%s: %v, total %d, read %d entries; want the %d it matches", pattern, err, p.Total, r.Records, read[pattern])
		}
	}
	if read["c-12%"] < 10 || read[exact] != 1 {
		t.Fatalf("the seeded project has too few of the names: %v", read)
	}
	first, _ := answer(context.Background(), st, credentials.DevK5Tenant, base, query{limit: 1}, true, all)
	hidden := first.Secrets[0].SecretRef[len(base+"/secrets/"):]
	counting.Reset()
	p, err := answer(context.Background(), counting, credentials.DevK5Tenant, base, query{limit: 100}, false, func(rec store.Record) bool { return rec.ID != hidden })
	if r := counting.Reads(); err != nil || r.Records != 2000 || p.Total != 1999 || p.Secrets[0].SecretRef == first.Secrets[0].SecretRef {
		t.Errorf("a caller who may not see one: %v, read %d records, total %d: want 2000 read and the secret hidden", err, r.Records, p.Total)
	}
}
