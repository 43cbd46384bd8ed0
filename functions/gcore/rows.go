// Package gcore lists Gcore Cloud's secret and task operations, each declared by its package.
package gcore

import (
	"net/http"

	gcorecreatesecret "keyport/functions/gcore/createsecret"
	gcoredeletesecret "keyport/functions/gcore/deletesecret"
	gcoregetsecret "keyport/functions/gcore/getsecret"
	gcoregettask "keyport/functions/gcore/gettask"
	gcorelistsecrets "keyport/functions/gcore/listsecrets"
	gcorelisttasks "keyport/functions/gcore/listtasks"
	"keyport/shared/api/gcore"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Rows are the operations, in the order the stack defines functions.
var Rows = []operation.Row{
	{
		Name: "gcore.CreateSecret", Function: "gcore-createsecret", API: "Gcore", Dialect: operation.Gcore,
		Service: gcore.Service, Route: gcorecreatesecret.Pattern, Store: store.NeedPut, Seals: true,
		New: func(d operation.Deps) http.Handler {
			return gcorecreatesecret.New(gcorecreatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "gcore.GetTask", Function: "gcore-gettask", API: "Gcore", Dialect: operation.Gcore,
		Service: gcore.Service, Route: gcoregettask.Pattern, Store: store.NeedGet,
		New: func(d operation.Deps) http.Handler {
			return gcoregettask.New(gcoregettask.Deps{Store: d.Store, Creds: d.Creds})
		},
	},
	{
		Name: "gcore.GetSecret", Function: "gcore-getsecret", API: "Gcore", Dialect: operation.Gcore,
		Service: gcore.Service, Route: gcoregetsecret.Pattern, Store: store.NeedGet,
		New: func(d operation.Deps) http.Handler {
			return gcoregetsecret.New(gcoregetsecret.Deps{Store: d.Store, Creds: d.Creds})
		},
	},
	{
		Name: "gcore.ListSecrets", Function: "gcore-listsecrets", API: "Gcore", Dialect: operation.Gcore,
		Service: gcore.Service, Route: gcorelistsecrets.Pattern, Store: store.NeedList,
		New: func(d operation.Deps) http.Handler {
			return gcorelistsecrets.New(gcorelistsecrets.Deps{Store: d.Store, Creds: d.Creds})
		},
	},
	{
		// The delete writes its task (both copies) with plain puts of fresh ids, and removes the
		// secret; it never reads it or decrypts anything.
		Name: "gcore.DeleteSecret", Function: "gcore-deletesecret", API: "Gcore", Dialect: operation.Gcore,
		Service: gcore.Service, Route: gcoredeletesecret.Pattern, Store: store.NeedDelete | store.NeedPut,
		New: func(d operation.Deps) http.Handler {
			return gcoredeletesecret.New(gcoredeletesecret.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "gcore.ListTasks", Function: "gcore-listtasks", API: "Gcore", Dialect: operation.Gcore,
		Service: gcore.Service, Route: gcorelisttasks.Pattern, Store: store.NeedList,
		New: func(d operation.Deps) http.Handler {
			return gcorelisttasks.New(gcorelisttasks.Deps{Store: d.Store, Creds: d.Creds})
		},
	},
}
