package listtasks

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
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/credentials"
	"keyport/shared/pages"
	"keyport/shared/pages/pagestest"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// seedTasks writes n tasks of each project built by the model (gcoretask.Task.Puts), in
// regions 7 and 76, of both types, at random instants a few per millisecond.
func seedTasks(t testing.TB, st store.Store, rng *rand.Rand, n int, projects ...int64) {
	t.Helper()
	var tx store.Tx
	for _, p := range projects {
		for i := range n {
			typ := []string{gcoretask.TypeCreateSecret, gcoretask.TypeDeleteSecret}[rng.IntN(2)]
			task := gcoretask.Task{ID: fmt.Sprintf("%08x-0000-4000-8000-%012d", rng.Uint32(), int(p)*100000+i), Type: typ,
				Scope: gcore.Scope{Project: p, Region: []int64{7, 76}[rng.IntN(2)]}, RequestID: "r",
				Created: base.Add(time.Duration(rng.IntN(2*n))*time.Millisecond + time.Duration(rng.IntN(3))*time.Microsecond)}
			tx = append(tx, task.Puts()...)
			if len(tx) >= 1000 {
				if err := st.Apply(context.Background(), tx); err != nil {
					t.Fatal(err)
				}
				tx = nil
			}
		}
	}
	if len(tx) > 0 {
		if err := st.Apply(context.Background(), tx); err != nil {
			t.Fatal(err)
		}
	}
}

// reference is page q for key computed from every full record of its projects: filtered,
// ordered by creation millisecond then id (or the reverse), and cut.
func reference(t *testing.T, ctx context.Context, st store.Lister, key credentials.GcoreKey, q query) gcore.Page[gcoretask.Task] {
	var all []store.Record
	for _, p := range projects(key, q) {
		for rec, err := range store.All(ctx, st, gcoretask.InProject(p)) {
			if err != nil {
				t.Fatal(err)
			}
			task, err := gcoretask.FromRecord(rec)
			if err != nil {
				t.Fatal(err)
			}
			if key.Allows(task.Scope.Project, task.Scope.Region) && q.matches(task) && policy.Visible(ctx, []*policy.Policy{key.Policy}, task.ID) {
				all = append(all, rec)
			}
		}
	}
	slices.SortFunc(all, func(a, b store.Record) int {
		c := cmp.Or(cmp.Compare(a.CreatedAt.UnixMilli(), b.CreatedAt.UnixMilli()), strings.Compare(a.ID, b.ID))
		if q.newestFirst {
			return -c
		}
		return c
	})
	lo, hi := pages.Bounds(int64(len(all)), q.offset, q.limit)
	out := gcore.Page[gcoretask.Task]{Count: len(all), Results: []gcoretask.Task{}}
	for _, rec := range all[lo:hi] {
		task, _ := gcoretask.FromRecord(rec)
		out.Results = append(out.Results, task)
	}
	return out
}

var listAction = []string{"gcore:ListTasks"}

func statements(s ...policy.Statement) *policy.Policy { return &policy.Policy{Statements: s} }

// TestPathsAgree: over random projects of a few hundred tasks each (one the key does not
// reach), every page (random offsets and limits, past the end included; either order; narrowed
// to projects or not; with random filters; for keys limited to a region or not, and with
// policies that show all or hide some) equals the page computed from every record, whether the
// list merged the projects' indexes or scanned them.
func TestPathsAgree(t *testing.T) {
	st := gcoretest.Store(t)
	rng := rand.New(rand.NewPCG(9, 10))
	seedTasks(t, st, rng, 200, 1, 2, 3, 4)
	ctx := policy.WithAction(context.Background(), "gcore:ListTasks")
	seesAll := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{"none"}})
	some := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"0*", "8*", "f*"}})
	keys := []credentials.GcoreKey{{Projects: []int64{1, 2, 3}}, {Projects: []int64{2}}, {Projects: []int64{1, 2, 3}, Regions: []int64{76}},
		{Projects: []int64{1, 3}, Policy: seesAll}, {Projects: []int64{1, 2, 3}, Policy: some}}
	counting := pagestest.NewCounting(st)
	for i := range 400 {
		key := keys[rng.IntN(len(keys))]
		q := query{limit: int64(1 + rng.IntN(150)), offset: int64(rng.IntN(700)), newestFirst: rng.IntN(2) == 0}
		if rng.IntN(3) == 0 {
			q.projects = []int64{int64(1 + rng.IntN(4)), int64(1 + rng.IntN(4))}
		}
		switch rng.IntN(6) {
		case 1:
			q.regions = []int64{76}
		case 2:
			q.taskType = gcoretask.TypeDeleteSecret
		case 3:
			q.from = base.Add(100 * time.Millisecond)
		case 4:
			q.states = []string{gcoretask.StateFinished}
		}
		counting.Reset()
		got, err := answer(ctx, counting, key, q)
		if err != nil {
			t.Fatal(err)
		}
		want := reference(t, ctx, st, key, q)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			t.Fatalf("case %d (%+v, key %+v):\n got %s\nwant %s", i, q, key, gj, wj)
		}
		n := int64(len(projects(key, q)))
		fast := q.unfiltered() && key.Regions == nil && key.Policy == nil
		if read := counting.Reads().Records; fast && n == 1 && read > q.limit || !fast && want.Count > 0 && read < int64(want.Count) {
			t.Fatalf("case %d (%+v, key %+v): read %d records for %d of %d", i, q, key, read, len(want.Results), want.Count)
		}
	}
}

// TestPageReadsItsItems: in a project of 2,000 tasks a page of 100 reads 100 index entries at
// offset 0 and at a deep offset; over two projects an offset-0 page reads at most a page of
// each; a policy that hides one task scans every entry and hides it.
func TestPageReadsItsItems(t *testing.T) {
	st := gcoretest.Store(t)
	seedTasks(t, st, rand.New(rand.NewPCG(11, 12)), 2000, 1, 2)
	ctx := policy.WithAction(context.Background(), "gcore:ListTasks")
	counting := pagestest.NewCounting(st)
	one, both := credentials.GcoreKey{Projects: []int64{1}}, credentials.GcoreKey{Projects: []int64{1, 2}}
	for _, c := range []struct {
		key    credentials.GcoreKey
		offset int64
		total  int
		most   int64
		desc   bool
	}{{one, 0, 2000, 100, false}, {one, 1800, 2000, 100, true}, {both, 0, 4000, 200, true}} {
		counting.Reset()
		page, err := answer(ctx, counting, c.key, query{limit: 100, offset: c.offset, newestFirst: c.desc})
		if r := counting.Reads(); err != nil || len(page.Results) != 100 || page.Count != c.total || r.Records > c.most {
			t.Errorf("%v offset %d: %v, %d results of %d, read %d records; want 100 of %d, reading at most %d", c.key.Projects, c.offset, err, len(page.Results), page.Count, r.Records, c.total, c.most)
		}
	}
	first, _ := answer(ctx, st, one, query{limit: 1})
	deny := credentials.GcoreKey{Projects: []int64{1}, Policy: statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{first.Results[0].ID}})}
	counting.Reset()
	page, err := answer(ctx, counting, deny, query{limit: 100})
	if r := counting.Reads(); err != nil || r.Records != 2000 || page.Count != 1999 || page.Results[0].ID == first.Results[0].ID {
		t.Errorf("a policy that hides one: %v, read %d records, count %d: want 2000 read and the task hidden", err, r.Records, page.Count)
	}
}
