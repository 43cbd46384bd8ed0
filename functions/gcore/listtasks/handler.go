// Package listtasks serves Gcore Cloud's "list tasks" (GET /cloud/v1/tasks): {"count": total,
// "results": [Task…]} over the tasks of the caller's projects, with GC-go's filters (project,
// region, state, task type, creation time, acknowledgement), order and offset paging.
package listtasks

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/credentials"
	"keyport/shared/operation"
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
// project from its own copies (gcoretask.InProject), so no other project's records are
// touched; then filters, orders and pages them.
func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Act: func(r gcore.Request) (gcore.Reply, error) {
		q, err := decode(r.URL.RawQuery)
		if err != nil {
			return gcore.Reply{}, err
		}
		var tasks []gcoretask.Task
		for _, project := range projects(r.Key, q) {
			found, err := gcore.ListDecoded(r.Context(), d.Store, gcoretask.InProject(project), gcoretask.FromRecord)
			if err != nil {
				return gcore.Reply{}, err
			}
			for _, t := range found {
				if r.Key.Allows(t.Scope.Project, t.Scope.Region) && q.matches(t) && policy.Visible(r.Context(), []*policy.Policy{r.Key.Policy}, t.ID) {
					tasks = append(tasks, t)
				}
			}
		}
		slices.SortFunc(tasks, func(a, b gcoretask.Task) int {
			c := cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
			if q.newestFirst {
				return -c
			}
			return c
		})
		return gcore.Reply{Body: gcore.MapPage(gcore.NewPage(tasks, q.offset, q.limit), gcoretask.Task.JSON)}, nil
	}})
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
