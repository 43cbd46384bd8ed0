package listsecrets

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/pages"
	"keyport/shared/pages/pagestest"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// seedRandom writes n secrets of scope built by the model (gcoresecret.Secret.Record), created
// at random instants a few per millisecond, nanoseconds apart or equal.
func seedRandom(t testing.TB, st store.Store, rng *rand.Rand, scope gcore.Scope, n int) {
	t.Helper()
	var tx store.Tx
	for i := range n {
		s := gcoresecret.Secret{ID: fmt.Sprintf("%08x-0000-4000-8000-%012d", rng.Uint32(), i), Name: fmt.Sprintf("s%d", i),
			SecretType: "opaque", Created: base.Add(time.Duration(rng.IntN(n/3+1))*time.Millisecond + time.Duration(rng.IntN(3))*time.Microsecond)}
		tx = append(tx, store.Action{Put: &store.Put{Record: s.Record(scope)}})
	}
	if err := st.Apply(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
}

// reference is page q of scope for policies ps, computed from every full record: oldest first
// by creation millisecond, then id.
func reference(t *testing.T, ctx context.Context, st store.Lister, scope gcore.Scope, ps []*policy.Policy, q query) gcore.Page[gcoresecret.Secret] {
	var all []store.Record
	for rec, err := range store.All(ctx, st, gcoresecret.InRegion(scope)) {
		if err != nil {
			t.Fatal(err)
		}
		_, id, _ := strings.Cut(rec.ID, "/")
		if policy.Visible(ctx, ps, fmt.Sprintf("%d/%d/%s", scope.Project, scope.Region, id)) {
			all = append(all, rec)
		}
	}
	slices.SortFunc(all, func(a, b store.Record) int {
		return cmp.Or(cmp.Compare(a.CreatedAt.UnixMilli(), b.CreatedAt.UnixMilli()), strings.Compare(a.ID, b.ID))
	})
	lo, hi := pages.Bounds(int64(len(all)), q.offset, q.limit)
	out := gcore.Page[gcoresecret.Secret]{Count: len(all), Results: []gcoresecret.Secret{}}
	for _, rec := range all[lo:hi] {
		s, err := gcoresecret.FromRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		out.Results = append(out.Results, s)
	}
	return out
}

var listAction = []string{"gcore:ListSecrets"}

func statements(s ...policy.Statement) *policy.Policy { return &policy.Policy{Statements: s} }

// TestPathsAgree: in a random region of a few hundred secrets, beside another region and
// another project, every page (random offsets and limits, past the end included), for a key
// without a policy (the fast path), one whose policy shows all but is not certain to (the
// scan), and one that hides some, equals the page computed from every record.
func TestPathsAgree(t *testing.T) {
	st := gcoretest.Store(t)
	rng := rand.New(rand.NewPCG(5, 6))
	scope := gcore.Scope{Project: 1, Region: 76}
	seedRandom(t, st, rng, scope, 300)
	seedRandom(t, st, rng, gcore.Scope{Project: 1, Region: 7}, 50)
	seedRandom(t, st, rng, gcore.Scope{Project: 2, Region: 76}, 50)
	ctx := policy.WithAction(context.Background(), "gcore:ListSecrets")
	seesAll := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"1/*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{"1/76/none"}})
	some := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"1/76/0*", "1/76/8*", "1/76/f*"}})
	policies := []*policy.Policy{nil, seesAll, some}
	counting := pagestest.NewCounting(st)
	for i := range 300 {
		q := query{limit: int64(1 + rng.IntN(120)), offset: int64(rng.IntN(330))}
		p := policies[rng.IntN(3)]
		counting.Reset()
		got, err := answer(ctx, counting, scope, []*policy.Policy{p}, q)
		if err != nil {
			t.Fatal(err)
		}
		want := reference(t, ctx, st, scope, []*policy.Policy{p}, q)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			t.Fatalf("case %d (%+v, policy %d):\n got %s\nwant %s", i, q, slices.Index(policies, p), gj, wj)
		}
		if fast := p == nil; fast != (counting.Reads().Records <= q.limit) {
			t.Fatalf("case %d (%+v): read %d records, fast path %v", i, q, counting.Reads().Records, fast)
		}
	}
}

// TestPageReadsItsItems: in a region of 2,000 secrets a page of 100 reads 100 index entries at
// offset 0 and at a deep offset; a policy that hides one secret scans the 2,000 entries and
// hides it.
func TestPageReadsItsItems(t *testing.T) {
	st := gcoretest.Store(t)
	scope := gcore.Scope{Project: 1, Region: 76}
	seedRandom(t, st, rand.New(rand.NewPCG(7, 8)), scope, 2000)
	ctx := policy.WithAction(context.Background(), "gcore:ListSecrets")
	counting := pagestest.NewCounting(st)
	for _, offset := range []int64{0, 1800} {
		counting.Reset()
		page, err := answer(ctx, counting, scope, nil, query{limit: 100, offset: offset})
		if r := counting.Reads(); err != nil || len(page.Results) != 100 || page.Count != 2000 || r.Records != 100 {
			t.Errorf("offset %d: %v, %d results of %d, read %d records; want 100 of 2000, reading 100", offset, err, len(page.Results), page.Count, r.Records)
		}
	}
	first, _ := answer(ctx, st, scope, nil, query{limit: 1})
	denyOne := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{"1/76/" + first.Results[0].ID}})
	counting.Reset()
	page, err := answer(ctx, counting, scope, []*policy.Policy{denyOne}, query{limit: 100})
	if r := counting.Reads(); err != nil || r.Records != 2000 || page.Count != 1999 || page.Results[0].ID == first.Results[0].ID {
		t.Errorf("a policy that hides one: %v, read %d records, count %d: want 2000 read and the secret hidden", err, r.Records, page.Count)
	}
}
