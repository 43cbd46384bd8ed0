// Package gettask serves Gcore Cloud's "get task" (GET /cloud/v1/tasks/{task_id}), the call
// SDKs poll after an asynchronous create or delete. keyport's tasks finish inside the request
// that starts them, so the first poll sees FINISHED with the created resources.
package gettask

import (
	"errors"
	"net/http"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares the operation.
var Row = operation.Row{
	Name:     "gcore.GetTask",
	Function: "gcore-gettask",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "GET /cloud/v1/tasks/{task_id}",
	Store:    store.NeedGet,
	New:      newHandler,
	Example: &operation.Example{
		Path: "/cloud/v1/tasks/d478ae29-dedc-4869-82f0-96104425f565",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"user-agent":    "Gcore/Go 0.1.0",
		},
	},
}

// newHandler finds the task and checks the caller may see it. A malformed id, an unknown id and
// another project's (or region's) task all give the same NotFound, so task ids are not
// disclosed across projects.
func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Act: func(r gcore.Request) (gcore.Reply, error) {
		id, err := gcoretask.ParseID(r.PathValue("task_id"))
		if err != nil {
			return gcore.Reply{}, err
		}
		rec, err := d.Store.Get(r.Context(), gcoretask.Ref(id))
		if errors.Is(err, store.ErrNotFound) {
			return gcore.Reply{}, gcoretask.NotFound(id)
		}
		if err != nil {
			return gcore.Reply{}, err
		}
		t, err := gcoretask.FromRecord(rec)
		if err != nil {
			return gcore.Reply{}, err
		}
		if !r.Key.Allows(t.Scope.Project, t.Scope.Region) {
			return gcore.Reply{}, gcoretask.NotFound(id)
		}
		return gcore.Reply{Body: t.JSON(), Resource: t.ID, Account: t.Scope.Tenant()}, nil
	}})
}
