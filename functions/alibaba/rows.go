// Package alibaba lists Alibaba Cloud APIG's secret operations, each declared by its package.
package alibaba

import (
	"net/http"

	createsecret "keyport/functions/alibaba/createsecret"
	"keyport/functions/alibaba/deletesecret"
	"keyport/functions/alibaba/getsecret"
	"keyport/functions/alibaba/getsecretvalue"
	"keyport/functions/alibaba/listsecretreferences"
	"keyport/functions/alibaba/listsecrets"
	"keyport/functions/alibaba/updatesecret"
	"keyport/shared/api/alibaba"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Rows are the operations, in the order the stack defines functions.
var Rows = []operation.Row{
	{
		Name: "alibaba.CreateSecret", Function: "alibaba-createsecret", API: "Alibaba", Dialect: operation.Alibaba,
		Service: alibaba.Service, Route: "POST /v1/secrets", Store: store.NeedPut, Seals: true,
		New: func(d operation.Deps) http.Handler {
			return createsecret.New(createsecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	// The Alibaba reads spend the request's nonce in the store (a Put) only once they succeed, so
	// a replay is refused by every instance; GetSecretValue alone opens values, and only the
	// create and UpdateSecret seal them. DeleteSecret comes last so that the invoke test's chain
	// (create, read, update, delete) ends with the secret gone.
	{
		Name: "alibaba.GetSecret", Function: "alibaba-getsecret", API: "Alibaba", Dialect: operation.Alibaba,
		Service: alibaba.Service, Route: getsecret.Pattern, Store: store.NeedGet | store.NeedPut,
		New: func(d operation.Deps) http.Handler {
			return getsecret.New(getsecret.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.ListSecrets", Function: "alibaba-listsecrets", API: "Alibaba", Dialect: operation.Alibaba,
		Service: alibaba.Service, Route: listsecrets.Pattern, Store: store.NeedList | store.NeedPut,
		New: func(d operation.Deps) http.Handler {
			return listsecrets.New(listsecrets.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.GetSecretValue", Function: "alibaba-getsecretvalue", API: "Alibaba", Dialect: operation.Alibaba,
		Service: alibaba.Service, Route: getsecretvalue.Pattern, Store: store.NeedGet | store.NeedPut, Opens: true,
		New: func(d operation.Deps) http.Handler {
			return getsecretvalue.New(getsecretvalue.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.UpdateSecret", Function: "alibaba-updatesecret", API: "Alibaba", Dialect: operation.Alibaba,
		Service: alibaba.Service, Route: updatesecret.Pattern, Store: store.NeedGet | store.NeedPut | store.NeedUpdate, Seals: true,
		New: func(d operation.Deps) http.Handler {
			return updatesecret.New(updatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.ListSecretReferences", Function: "alibaba-listsecretreferences", API: "Alibaba", Dialect: operation.Alibaba,
		Service: alibaba.Service, Route: listsecretreferences.Pattern, Store: store.NeedGet | store.NeedPut,
		New: func(d operation.Deps) http.Handler {
			return listsecretreferences.New(listsecretreferences.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.DeleteSecret", Function: "alibaba-deletesecret", API: "Alibaba", Dialect: operation.Alibaba,
		Service: alibaba.Service, Route: deletesecret.Pattern, Store: store.NeedGet | store.NeedPut | store.NeedDelete,
		New: func(d operation.Deps) http.Handler {
			return deletesecret.New(deletesecret.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
}
