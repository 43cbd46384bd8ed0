// Package listtasks serves Gcore Cloud's "list tasks" (GET /cloud/v1/tasks): {"count": total,
// "results": [Task…]} over the tasks of the caller's projects, with GC-go's filters (project,
// region, state, task type, creation time, acknowledgement), order and offset paging.
package listtasks

import (
	"context"
	"net/http"
	"slices"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/pages"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// Row declares the operation.
var Row = operation.Row{
	Name:     "gcore.ListTasks",
	Function: "gcore-listtasks",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "GET /cloud/v1/tasks",
	Store:    store.NeedList,
	New:      newHandler,
	Example: &operation.Example{
		Path:  "/cloud/v1/tasks",
		Query: "project_id=1&state=FINISHED&order_by=desc&limit=10",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"user-agent":    "Gcore/Go 0.1.0",
		},
	},
}

// newHandler lists the tasks of every project the key reaches (narrowed by project_id), each
// project from its own copies (gcoretask.InProject, whose creation index orders them), so no
// other project's records are touched; then filters, orders and pages them.
func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Act: func(r gcore.Request) (gcore.Reply, error) {
		q, err := decode(r.URL.RawQuery)
		if err != nil {
			return gcore.Reply{}, err
		}
		page, err := answer(r.Context(), d.Store, r.Key, q)
		if err != nil {
			return gcore.Reply{}, err
		}
		return gcore.Reply{Body: gcore.MapPage(page, gcoretask.Task.JSON)}, nil
	}})
}

// answer is page q of the tasks key may see, in creation order (created to the millisecond,
// then id; order_by=desc is its exact reverse), read as index entries (a task has no sealed
// value, and a list item shows every field).
//
//   - Without a filter, for a key that reaches every region of its projects and whose policy
//     hides no task (policy.ShowsAll), count is the sum of the projects' Counts and the page is
//     read from the indexes: for one project, one window after an offset the store skips
//     (O(limit) entries); for several, a merge of the projects' indexes in the list's order,
//     exact because the order is the index's own, which reads the first offset+limit entries
//     and at most one page more of each project (pages of limit entries, or of (offset+limit)
//     divided among the projects when that is more).
//   - Otherwise every entry of the projects is scanned, the matches kept and ordered, and count
//     and the page computed over them.
func answer(ctx context.Context, st store.Lister, key credentials.GcoreKey, q query) (gcore.Page[gcoretask.Task], error) {
	order := store.Oldest
	if q.newestFirst {
		order = store.Newest
	}
	var recs []store.Record
	var total int64
	var err error
	if q.unfiltered() && len(key.Regions) == 0 && policy.ShowsAll(ctx, []*policy.Policy{key.Policy}, "") {
		recs, total, err = indexed(ctx, st, projects(key, q), order, q.offset, q.limit)
	} else {
		recs, total, err = scanned(ctx, st, key, q, order)
	}
	if err != nil {
		return gcore.Page[gcoretask.Task]{}, err
	}
	out := gcore.Page[gcoretask.Task]{Count: int(total), Results: make([]gcoretask.Task, len(recs))}
	for i, rec := range recs {
		if out.Results[i], err = gcoretask.FromRecord(rec); err != nil {
			return gcore.Page[gcoretask.Task]{}, err
		}
	}
	return out, nil
}

// unfiltered reports whether q keeps every task: no region, task type, time or
// acknowledgement filter, and a state filter that names FINISHED (keyport's only state) if any.
func (q query) unfiltered() bool {
	return len(q.regions) == 0 && (len(q.states) == 0 || slices.Contains(q.states, gcoretask.StateFinished)) &&
		q.taskType == "" && q.from.IsZero() && q.to.IsZero() && (q.acknowledged == nil || !*q.acknowledged)
}

// indexed is the window [offset, offset+limit) of every task of projects in order, and their
// count, from the indexes.
func indexed(ctx context.Context, st store.Lister, projects []int64, order store.Order, offset, limit int64) ([]store.Record, int64, error) {
	var total int64
	for _, p := range projects {
		n, err := st.Count(ctx, gcoretask.InProject(p))
		if err != nil {
			return nil, 0, err
		}
		total += n
	}
	lo, hi := pages.Bounds(total, offset, limit)
	if hi == lo {
		return nil, total, nil
	}
	if len(projects) == 1 {
		q := gcoretask.InProject(projects[0])
		q.Order, q.Offset, q.Entries = order, int(lo), true
		recs, err := pages.Window(ctx, st, q, int(hi-lo))
		return recs, total, err
	}
	streams := make([]*stream, len(projects))
	for i, p := range projects {
		q := gcoretask.InProject(p)
		q.Order, q.Entries, q.Limit = order, true, int(min(max(hi/int64(len(projects)), hi-lo), store.MaxPageLimit))
		streams[i] = &stream{q: q}
	}
	var recs []store.Record
	for at := int64(0); at < hi; at++ {
		var best *stream
		for _, s := range streams {
			if err := s.fill(ctx, st); err != nil {
				return nil, 0, err
			}
			if len(s.recs) > 0 && (best == nil || before(s.recs[0], best.recs[0], order)) {
				best = s
			}
		}
		if best == nil {
			break // a task expired or was deleted since the count
		}
		if at >= lo {
			recs = append(recs, best.recs[0])
		}
		best.recs = best.recs[1:]
	}
	return recs, total, nil
}

// stream is one project's index entries in order, read a page at a time.
type stream struct {
	q    store.Query
	recs []store.Record
	done bool
}

// fill reads the stream's next page when it has no entry left and one may follow.
func (s *stream) fill(ctx context.Context, st store.Lister) error {
	for len(s.recs) == 0 && !s.done {
		page, err := st.List(ctx, s.q)
		if err != nil {
			return err
		}
		s.recs, s.q.Cursor, s.done = page.Records, page.Next, page.Next == ""
	}
	return nil
}

// before reports whether a comes before b in order: the creation index's (created to the
// millisecond, then id), or its reverse.
func before(a, b store.Record, order store.Order) bool {
	c := store.CompareOldest(a, b)
	if order == store.Newest {
		return c > 0
	}
	return c < 0
}

// scanned is every task of key's projects that passes q's filters and that key may see, in
// order, and how many there are.
func scanned(ctx context.Context, st store.Lister, key credentials.GcoreKey, q query, order store.Order) ([]store.Record, int64, error) {
	var matches []store.Record
	for _, p := range projects(key, q) {
		idx := gcoretask.InProject(p)
		idx.Order = order
		found, err := pages.Matches(ctx, st, idx, func(rec store.Record) bool {
			t, err := gcoretask.FromRecord(rec)
			return err != nil || // kept: an unreadable task on the page fails the list, as a server fault
				key.Allows(t.Scope.Project, t.Scope.Region) && q.matches(t) && policy.Visible(ctx, []*policy.Policy{key.Policy}, t.ID)
		})
		if err != nil {
			return nil, 0, err
		}
		matches = append(matches, found...)
	}
	slices.SortStableFunc(matches, func(a, b store.Record) int {
		switch {
		case before(a, b, order):
			return -1
		case before(b, a, order):
			return 1
		}
		return 0
	})
	lo, hi := pages.Bounds(int64(len(matches)), q.offset, q.limit)
	return matches[lo:hi], int64(len(matches)), nil
}

// projects are the projects to read: the key's, narrowed to project_id when it is given. A
// project_id the key does not reach adds nothing. It is a filter, not an address, so it is not
// refused, and the empty answer is the same whether or not that project has tasks.
func projects(key credentials.GcoreKey, q query) []int64 {
	if len(q.projects) == 0 {
		return key.Projects
	}
	var out []int64
	for _, p := range key.Projects {
		if slices.Contains(q.projects, p) {
			out = append(out, p)
		}
	}
	return out
}

// matches applies the filters. Every keyport task is FINISHED and unacknowledged (there is no
// acknowledge endpoint), so state and is_acknowledged filter on those constants. Times compare
// at the whole second a task shows as created_on, so a created_on copied into from_timestamp
// or to_timestamp includes that task.
func (q query) matches(t gcoretask.Task) bool {
	created := t.Created.Truncate(time.Second)
	switch {
	case len(q.regions) > 0 && !slices.Contains(q.regions, t.Scope.Region),
		len(q.states) > 0 && !slices.Contains(q.states, gcoretask.StateFinished),
		q.taskType != "" && q.taskType != t.Type,
		!q.from.IsZero() && created.Before(q.from),
		!q.to.IsZero() && created.After(q.to),
		q.acknowledged != nil && *q.acknowledged:
		return false
	}
	return true
}
