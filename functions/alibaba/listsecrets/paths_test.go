package listsecrets

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/functions/alibaba/createsecret"
	"keyport/shared/api/alibaba"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/operation"
	"keyport/shared/pages/pagestest"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// seeded creates n secrets of key through CreateSecret (so the records are the create's own),
// with random names over a small alphabet, random gateway types and creation times a few per
// millisecond (ties go by id), and writes them in large transactions.
func seeded(t testing.TB, e *at.Env, rng *rand.Rand, counts map[at.Key]int) {
	t.Helper()
	capture := pagestest.NewCapture(e.Store)
	base := time.Now().Add(-time.Minute)
	clock := func() time.Time { return base.Add(time.Duration(rng.IntN(200)) * time.Millisecond) }
	create := createsecret.Row.Serve(operation.Deps{Store: capture, Sealer: e.Sealer, Creds: e.Creds, Now: clock})
	i := 0
	for key, n := range counts {
		for range n {
			i++
			gw := apigsecret.GatewayTypes[rng.IntN(2)]
			name := fmt.Sprintf("%c%c_%d", 'a'+rng.IntN(3), 'a'+rng.IntN(3), i)
			body := fmt.Sprintf(`{"name":%q,"secretData":"v","gatewayType":%q,"kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"key-1"}}`, name, gw)
			w := httptest.NewRecorder()
			create.ServeHTTP(w, at.Call{Method: http.MethodPost, Target: "/v1/secrets", Action: "CreateSecret", Key: key, Body: body}.Request())
			if w.Code != http.StatusOK {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
	}
	if err := capture.Flush(context.Background(), e.Store, 1000); err != nil {
		t.Fatal(err)
	}
}

// reference is page q for the caller with policy p, computed as the list did before the index:
// every full record of the account, filtered, ordered newest first (creation millisecond, then
// id, descending) and cut.
func reference(t *testing.T, ctx context.Context, st store.Lister, account string, p *policy.Policy, q query) alibaba.Page[apigsecret.View] {
	var matches []store.Record
	for rec, err := range store.All(ctx, st, store.Query{Service: alibaba.Service, Tenant: account, Kind: apigsecret.Kind}) {
		if err != nil {
			t.Fatal(err)
		}
		if (q.gatewayType == "" || rec.Attrs.String(apigsecret.AttrGatewayType) == q.gatewayType) &&
			strings.Contains(rec.Attrs.String(apigsecret.AttrName), q.nameLike) &&
			policy.Visible(ctx, []*policy.Policy{p}, rec.Attrs.String(apigsecret.AttrName), rec.ID) {
			matches = append(matches, rec)
		}
	}
	slices.SortFunc(matches, func(a, b store.Record) int {
		return cmp.Or(cmp.Compare(b.CreatedAt.UnixMilli(), a.CreatedAt.UnixMilli()), strings.Compare(b.ID, a.ID))
	})
	lo, hi := q.page.Bounds(len(matches))
	var items []apigsecret.View
	for _, rec := range matches[lo:hi] {
		items = append(items, apigsecret.ListItemOf(rec))
	}
	return alibaba.NewPage(q.page, len(matches), items)
}

func statements(s ...policy.Statement) *policy.Policy { return &policy.Policy{Statements: s} }

var (
	listAction = []string{"alibaba:ListSecrets"}
	// seesAll shows every secret but is not certain to (a deny names the action), so the list
	// takes the scan path: its answers must equal the fast path's.
	seesAll = statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{"no-such-secret"}})
	// namesA shows the secrets whose name starts with "a".
	namesA = statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"a*"}})
)

// TestPathsAgree: on a random account of a few hundred secrets beside another account's, every
// page (random sizes and numbers, past the end included), with and without filters and
// policies, fast path or scan, equals the page computed from every record.
func TestPathsAgree(t *testing.T) {
	e := at.NewEnv(t)
	rng := rand.New(rand.NewPCG(17, 2))
	seeded(t, e, rng, map[at.Key]int{at.Dev: 300, at.Other: 40})
	ctx := policy.WithAction(context.Background(), "alibaba:ListSecrets")
	counting := pagestest.NewCounting(e.Store)
	for i := range 300 {
		q := query{page: alibaba.Paging{Size: int32(1 + rng.IntN(alibaba.MaxPageSize)), Number: 1}}
		q.page.Number = int32(1 + rng.IntN(300/int(q.page.Size)+3))
		switch rng.IntN(4) {
		case 1:
			q.gatewayType = apigsecret.GatewayTypes[rng.IntN(2)]
		case 2:
			q.nameLike = string(rune('a' + rng.IntN(3)))
		}
		p := []*policy.Policy{nil, seesAll, namesA}[rng.IntN(3)]
		counting.Reset()
		got, err := list(ctx, counting, at.Dev.Account, p, q)
		if err != nil {
			t.Fatal(err)
		}
		want := reference(t, ctx, e.Store, at.Dev.Account, p, q)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			t.Fatalf("case %d (%+v, policy %d):\n got %s\nwant %s", i, q, slices.Index([]*policy.Policy{nil, seesAll, namesA}, p), gj, wj)
		}
		if fast := p == nil && q.gatewayType == "" && q.nameLike == ""; fast != (counting.Reads().Records <= int64(q.page.Size)) {
			t.Fatalf("case %d (%+v): read %d records, fast path %v", i, q, counting.Reads().Records, fast)
		}
	}
}

// TestPageReadsItsItems: in an account of 2,000 secrets an unfiltered page of 100 reads 100
// index entries (no sealed value) at offset 0 and at a deep offset; a filter, or a policy that
// hides one secret, scans the 2,000 entries (and hides it), never a sealed value.
func TestPageReadsItsItems(t *testing.T) {
	e := at.NewEnv(t)
	seeded(t, e, rand.New(rand.NewPCG(3, 4)), map[at.Key]int{at.Dev: 2000, at.Other: 5})
	ctx := policy.WithAction(context.Background(), "alibaba:ListSecrets")
	counting := pagestest.NewCounting(e.Store)
	read := func(p *policy.Policy, q query) (alibaba.Page[apigsecret.View], pagestest.Reads) {
		t.Helper()
		counting.Reset()
		page, err := list(ctx, counting, at.Dev.Account, p, q)
		if err != nil {
			t.Fatal(err)
		}
		return page, counting.Reads()
	}
	for _, number := range []int32{1, 18} {
		page, r := read(nil, query{page: alibaba.Paging{Number: number, Size: 100}})
		if len(page.Items) != 100 || page.TotalSize != 2000 || r.Records != 100 {
			t.Errorf("page %d: %d items of %d, read %d records; want 100 of 2000, reading 100", number, len(page.Items), page.TotalSize, r.Records)
		}
		if r.Bytes > 100*200 {
			t.Errorf("page %d: read %d bytes for 100 items", number, r.Bytes)
		}
	}
	hidden, _ := read(nil, query{page: alibaba.Paging{Number: 1, Size: 1}})
	denyOne := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{hidden.Items[0].SecretID, hidden.Items[0].Name}})
	for name, c := range map[string]struct {
		p *policy.Policy
		q query
	}{
		"a policy that hides one": {denyOne, query{page: alibaba.Paging{Number: 1, Size: 100}}},
		"a filter":                {nil, query{nameLike: "_", page: alibaba.Paging{Number: 1, Size: 100}}},
	} {
		page, r := read(c.p, c.q)
		if r.Records != 2000 || r.Bytes > 2000*200 {
			t.Errorf("%s: read %d records (%d bytes), want the 2000 entries", name, r.Records, r.Bytes)
		}
		if c.p != nil && (page.TotalSize != 1999 || page.Items[0].SecretID == hidden.Items[0].SecretID) {
			t.Errorf("%s: total %d, first %s: the denied secret is counted or shown", name, page.TotalSize, page.Items[0].SecretID)
		}
	}
}
