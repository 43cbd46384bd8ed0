// Package listtasks serves Gcore Cloud's "list tasks" (GET /cloud/v1/tasks): {"count": total,
// "results": [Task…]} over the tasks of the caller's projects, with GC-go's filters (project,
// region, state, task type, creation time, acknowledgement), order and offset paging.
package listtasks

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the ServeMux pattern of this operation, shared by the local server and the Lambda.
const Pattern = "GET /cloud/v1/tasks"

// Deps is what the operation needs.
type Deps struct {
	Store gcore.Lister
	Creds *credentials.Book
}

// New returns the operation's handler. It routes Pattern itself (see gcore.Route), so it can be
// mounted under Pattern by a ServeMux or handed to the Lambda adapter as it is.
func New(d Deps) http.Handler {
	return gcore.Route(Pattern, &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, err := h.list(r)
	if err != nil {
		gcore.WriteError(w, r, err)
		return
	}
	gcore.WriteJSON(w, http.StatusOK, page)
}

func (h *handler) list(r *http.Request) (gcore.Page[gcore.TaskJSON], error) {
	var none gcore.Page[gcore.TaskJSON]
	key, err := gcore.Authenticate(r, h.d.Creds)
	if err != nil {
		return none, err
	}
	q, err := decode(r.URL.RawQuery)
	if err != nil {
		return none, err
	}
	var tasks []gcore.Task
	for _, project := range projects(key, q) {
		found, err := h.inProject(r.Context(), project)
		if err != nil {
			return none, err
		}
		for _, t := range found {
			if key.Allows(t.Scope.Project, t.Scope.Region) && q.matches(t) {
				tasks = append(tasks, t)
			}
		}
	}
	slices.SortFunc(tasks, func(a, b gcore.Task) int {
		c := cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
		if q.newestFirst {
			return -c
		}
		return c
	})
	return gcore.MapPage(gcore.NewPage(tasks, q.offset, q.limit), gcore.Task.JSON), nil
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

// inProject reads every task of project, from the project's own copies (gcore.ProjectTaskRef),
// so no other project's records are touched.
func (h *handler) inProject(ctx context.Context, project int64) ([]gcore.Task, error) {
	ref := gcore.ProjectTaskRef(project, "")
	return gcore.ListDecoded(ctx, h.d.Store, store.Query{Service: ref.Service, Tenant: ref.Tenant, Kind: ref.Kind},
		func(rec store.Record) (gcore.Task, error) { return gcore.TaskFromRecord(rec.ID, rec) })
}

// matches applies the filters. Every keyport task is FINISHED and unacknowledged (there is no
// acknowledge endpoint), so state and is_acknowledged filter on those constants. Times compare
// at the whole second a task shows as created_on, so a created_on copied into from_timestamp
// or to_timestamp includes that task.
func (q query) matches(t gcore.Task) bool {
	created := t.Created.Truncate(time.Second)
	switch {
	case len(q.regions) > 0 && !slices.Contains(q.regions, t.Scope.Region),
		len(q.states) > 0 && !slices.Contains(q.states, gcore.StateFinished),
		q.taskType != "" && q.taskType != t.Type,
		!q.from.IsZero() && created.Before(q.from),
		!q.to.IsZero() && created.After(q.to),
		q.acknowledged != nil && *q.acknowledged:
		return false
	}
	return true
}
