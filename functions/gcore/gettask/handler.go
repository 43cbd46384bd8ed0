// Package gettask serves Gcore Cloud's "get task" (GET /cloud/v1/tasks/{task_id}), the call
// SDKs poll after an asynchronous create. keyport's tasks finish inside the request that
// starts them, so the first poll sees FINISHED with the created resources.
package gettask

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"keyport/shared/api/gcore"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/store"
)

// Pattern is the ServeMux pattern of this operation, shared by the local server and the Lambda.
const Pattern = "GET /cloud/v1/tasks/{task_id}"

// getter is the one store call a task read makes.
type getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// Deps is what the operation needs.
type Deps struct {
	Store getter
	Creds *credentials.Book
}

// New returns the operation's handler. It routes Pattern itself (see gcore.Route), so it can be
// mounted under Pattern by a ServeMux or handed to the Lambda adapter as it is.
func New(d Deps) http.Handler {
	return gcore.Route(Pattern, &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, err := h.get(r)
	if err != nil {
		gcore.WriteError(w, r, err)
		return
	}
	audit.SetAccount(r.Context(), t.Scope.Tenant())
	audit.SetResource(r.Context(), t.ID)
	gcore.WriteJSON(w, http.StatusOK, t.JSON())
}

// get finds the task and checks the caller may see it. A malformed id, an unknown id and
// another project's task all give the same NotFound, so task ids are not disclosed across
// projects.
func (h *handler) get(r *http.Request) (gcore.Task, error) {
	key, err := gcore.Authenticate(r, h.d.Creds)
	if err != nil {
		return gcore.Task{}, err
	}
	id, ok := gcore.CanonicalID(r.PathValue("task_id"))
	if !ok {
		return gcore.Task{}, fault.New(fault.NotFound, "", "Task could not be found")
	}
	notFound := fault.New(fault.NotFound, "", fmt.Sprintf("Task %s could not be found", id))
	rec, err := h.d.Store.Get(r.Context(), gcore.TaskRef(id))
	if errors.Is(err, store.ErrNotFound) {
		return gcore.Task{}, notFound
	}
	if err != nil {
		// Flattened so no driver error other than ErrNotFound can become a client status.
		return gcore.Task{}, errors.New("gettask: store: " + err.Error())
	}
	t, err := gcore.TaskFromRecord(id, rec)
	if err != nil {
		return gcore.Task{}, err
	}
	if !key.Allows(t.Scope.Project, t.Scope.Region) {
		return gcore.Task{}, notFound
	}
	return t, nil
}
