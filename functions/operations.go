// Package functions is keyport's one table of operations. Each row declares a vendor operation
// once: its dialect, the store service it works in, its route (or Tencent action), how to build
// its handler, and what it needs from the store and from KMS. Everything that wires operations
// reads this table: the local server (cmd/keyport), the Lambda bootstrap (functions/bootstrap),
// the CDK stack (infra/, functions, routes and per-function policy), the Makefile (through the
// bootstrap's -list flag) and the event tests. Adding an operation touches this table and the
// operation's own package, nothing else.
package functions

import (
	"net/http"
	"slices"
	"strings"
	"time"

	alibabacreatesecret "keyport/functions/alibaba/createsecret"
	"keyport/functions/alibaba/deletesecret"
	"keyport/functions/alibaba/getsecret"
	"keyport/functions/alibaba/getsecretvalue"
	"keyport/functions/alibaba/listsecretreferences"
	"keyport/functions/alibaba/listsecrets"
	"keyport/functions/alibaba/updatesecret"
	gcorecreatesecret "keyport/functions/gcore/createsecret"
	gcoredeletesecret "keyport/functions/gcore/deletesecret"
	gcoregetsecret "keyport/functions/gcore/getsecret"
	gcoregettask "keyport/functions/gcore/gettask"
	gcorelistsecrets "keyport/functions/gcore/listsecrets"
	gcorelisttasks "keyport/functions/gcore/listtasks"
	k5createmetadatum "keyport/functions/k5/createmetadatum"
	k5createsecret "keyport/functions/k5/createsecret"
	k5deletemetadatum "keyport/functions/k5/deletemetadatum"
	k5deletesecret "keyport/functions/k5/deletesecret"
	k5getmetadata "keyport/functions/k5/getmetadata"
	k5getmetadatum "keyport/functions/k5/getmetadatum"
	k5getpayload "keyport/functions/k5/getpayload"
	k5getsecret "keyport/functions/k5/getsecret"
	k5listsecrets "keyport/functions/k5/listsecrets"
	k5putmetadata "keyport/functions/k5/putmetadata"
	k5updatemetadatum "keyport/functions/k5/updatemetadatum"
	k5updatesecret "keyport/functions/k5/updatesecret"
	"keyport/functions/tencent/createapikey"
	"keyport/functions/tencent/createmultipathgatewaysecretkey"
	"keyport/functions/tencent/deleteapikey"
	"keyport/functions/tencent/describeapikey"
	"keyport/functions/tencent/describeapikeysstatus"
	"keyport/functions/tencent/describemultipathgatewaysecretkey"
	"keyport/functions/tencent/disableapikey"
	"keyport/functions/tencent/enableapikey"
	"keyport/functions/tencent/modifymultipathgatewaysecretkey"
	"keyport/functions/tencent/refreshmultipathgatewaysecretkey"
	"keyport/functions/tencent/updateapikey"
	"keyport/shared/api/alibaba"
	"keyport/shared/api/barbican"
	"keyport/shared/api/gcore"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
	"keyport/shared/keymanager"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Dialect is a vendor wire: how requests are signed and errors rendered.
type Dialect string

// The dialects keyport speaks.
const (
	Alibaba Dialect = "alibaba"
	Tencent Dialect = "tencent"
	Gcore   Dialect = "gcore"
	K5      Dialect = "k5"
	// Barbican is upstream OpenStack Barbican's layout (/v1/secrets, the project from the token)
	// of the K5 Key Manager API; its clients (python-barbicanclient, openstack secret …) speak it.
	Barbican Dialect = "barbican"
)

// Deps are the collaborators every handler is built from. Sealer is nil in a Lambda whose
// operations neither seal nor open (it has no KMS key and no KMS permission).
type Deps struct {
	Store    store.Store
	Sealer   *seal.Sealer
	Creds    *credentials.Book
	Now      func() time.Time
	KeyLimit int64 // Tencent API keys per account; 0 means the operation's default
}

// Operation is one row of the table.
type Operation struct {
	// Name is the operation as logs and audit events name it, "<dialect>.<Operation>".
	Name string
	// Function is the Lambda that serves it; also the name of its event under events/. The
	// actions of one Tencent service share one function, because an HTTP API cannot route on
	// the X-TC-Action header; every other operation has a function of its own.
	Function string
	// API is the HTTP API (one host per vendor service) whose route reaches the function.
	API     string
	Dialect Dialect
	// Service is the store and seal service: the Ref service of its records and the KMS
	// encryption context value its role is confined to.
	Service string
	// Route is the method and path in net/http.ServeMux syntax; for Tencent, "POST /".
	Route string
	// Alias is a second route to the same handler, or "": upstream Barbican's collection is
	// posted to with and without a trailing slash (python-barbicanclient posts to secrets/).
	Alias string
	// Action is the Tencent X-TC-Action the operation answers; "" for other dialects.
	Action string
	// Store is what the operation does with the store.
	Store store.Need
	// Seals and Opens say whether the operation encrypts (kms:GenerateDataKey) or decrypts
	// (kms:Decrypt) secret values.
	Seals, Opens bool
	// Quota marks an operation that counts against the Tencent API key limit (Deps.KeyLimit).
	Quota bool
	// New builds the handler (dialects other than Tencent); NewAction the Tencent action.
	New       func(Deps) http.Handler
	NewAction func(Deps) tencent.Action
}

// Operations is the table, in the order the stack defines functions and the local server mounts
// them.
var Operations = slices.Concat([]Operation{
	{
		Name: "alibaba.CreateSecret", Function: "alibaba-createsecret", API: "Alibaba", Dialect: Alibaba,
		Service: alibaba.Service, Route: "POST /v1/secrets", Store: store.NeedPut, Seals: true,
		New: func(d Deps) http.Handler {
			return alibabacreatesecret.New(alibabacreatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	// The Alibaba reads spend the request's nonce in the store (a Put) only once they succeed, so
	// a replay is refused by every instance; GetSecretValue alone opens values, and only the
	// create and UpdateSecret seal them. DeleteSecret comes last so that the invoke test's chain
	// (create, read, update, delete) ends with the secret gone.
	{
		Name: "alibaba.GetSecret", Function: "alibaba-getsecret", API: "Alibaba", Dialect: Alibaba,
		Service: alibaba.Service, Route: getsecret.Pattern, Store: store.NeedGet | store.NeedPut,
		New: func(d Deps) http.Handler {
			return getsecret.New(getsecret.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.ListSecrets", Function: "alibaba-listsecrets", API: "Alibaba", Dialect: Alibaba,
		Service: alibaba.Service, Route: listsecrets.Pattern, Store: store.NeedList | store.NeedPut,
		New: func(d Deps) http.Handler {
			return listsecrets.New(listsecrets.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.GetSecretValue", Function: "alibaba-getsecretvalue", API: "Alibaba", Dialect: Alibaba,
		Service: alibaba.Service, Route: getsecretvalue.Pattern, Store: store.NeedGet | store.NeedPut, Opens: true,
		New: func(d Deps) http.Handler {
			return getsecretvalue.New(getsecretvalue.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.UpdateSecret", Function: "alibaba-updatesecret", API: "Alibaba", Dialect: Alibaba,
		Service: alibaba.Service, Route: updatesecret.Pattern, Store: store.NeedGet | store.NeedPut | store.NeedUpdate, Seals: true,
		New: func(d Deps) http.Handler {
			return updatesecret.New(updatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.ListSecretReferences", Function: "alibaba-listsecretreferences", API: "Alibaba", Dialect: Alibaba,
		Service: alibaba.Service, Route: listsecretreferences.Pattern, Store: store.NeedGet | store.NeedPut,
		New: func(d Deps) http.Handler {
			return listsecretreferences.New(listsecretreferences.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "alibaba.DeleteSecret", Function: "alibaba-deletesecret", API: "Alibaba", Dialect: Alibaba,
		Service: alibaba.Service, Route: deletesecret.Pattern, Store: store.NeedGet | store.NeedPut | store.NeedDelete,
		New: func(d Deps) http.Handler {
			return deletesecret.New(deletesecret.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "tencent.CreateApiKey", Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: Tencent,
		Service: createapikey.Service, Route: "POST /", Action: createapikey.ActionName,
		Store: store.NeedPut | store.NeedCount, Seals: true, Quota: true,
		NewAction: func(d Deps) tencent.Action {
			return createapikey.Action(createapikey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, KeyLimit: d.KeyLimit})
		},
	},
	apigw("DescribeApiKey", store.NeedGet, false, true, func(d Deps) tencent.Action {
		return describeapikey.Action(describeapikey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	apigw("DescribeApiKeysStatus", store.NeedList, false, true, func(d Deps) tencent.Action {
		return describeapikeysstatus.Action(describeapikeysstatus.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	apigw("UpdateApiKey", store.NeedGet|store.NeedUpdate, true, false, func(d Deps) tencent.Action {
		return updateapikey.Action(updateapikey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	apigw("EnableApiKey", store.NeedGet|store.NeedUpdate, false, false, func(d Deps) tencent.Action {
		return enableapikey.Action(enableapikey.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
	}),
	apigw("DisableApiKey", store.NeedGet|store.NeedUpdate, false, false, func(d Deps) tencent.Action {
		return disableapikey.Action(disableapikey.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
	}),
	apigw("DeleteApiKey", store.NeedGet|store.NeedDelete|store.NeedCount, false, false, func(d Deps) tencent.Action {
		return deleteapikey.Action(deleteapikey.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
	}),
	{
		Name: "tencent.CreateMultiPathGatewaySecretKey", Function: "tencent-teo", API: "TencentEdgeOne", Dialect: Tencent,
		Service: createmultipathgatewaysecretkey.Service, Route: "POST /", Action: createmultipathgatewaysecretkey.ActionName,
		Store: store.NeedPut, Seals: true,
		NewAction: func(d Deps) tencent.Action {
			return createmultipathgatewaysecretkey.Action(createmultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	teo("DescribeMultiPathGatewaySecretKey", store.NeedGet, false, true, func(d Deps) tencent.Action {
		return describemultipathgatewaysecretkey.Action(describemultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	teo("RefreshMultiPathGatewaySecretKey", store.NeedGet|store.NeedUpdate, true, false, func(d Deps) tencent.Action {
		return refreshmultipathgatewaysecretkey.Action(refreshmultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	teo("ModifyMultiPathGatewaySecretKey", store.NeedGet|store.NeedUpdate, true, false, func(d Deps) tencent.Action {
		return modifymultipathgatewaysecretkey.Action(modifymultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	{
		Name: "gcore.CreateSecret", Function: "gcore-createsecret", API: "Gcore", Dialect: Gcore,
		Service: gcore.Service, Route: gcorecreatesecret.Pattern, Store: store.NeedPut, Seals: true,
		New: func(d Deps) http.Handler {
			return gcorecreatesecret.New(gcorecreatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "gcore.GetTask", Function: "gcore-gettask", API: "Gcore", Dialect: Gcore,
		Service: gcore.Service, Route: gcoregettask.Pattern, Store: store.NeedGet,
		New: func(d Deps) http.Handler { return gcoregettask.New(gcoregettask.Deps{Store: d.Store, Creds: d.Creds}) },
	},
	{
		Name: "gcore.GetSecret", Function: "gcore-getsecret", API: "Gcore", Dialect: Gcore,
		Service: gcore.Service, Route: gcoregetsecret.Pattern, Store: store.NeedGet,
		New: func(d Deps) http.Handler {
			return gcoregetsecret.New(gcoregetsecret.Deps{Store: d.Store, Creds: d.Creds})
		},
	},
	{
		Name: "gcore.ListSecrets", Function: "gcore-listsecrets", API: "Gcore", Dialect: Gcore,
		Service: gcore.Service, Route: gcorelistsecrets.Pattern, Store: store.NeedList,
		New: func(d Deps) http.Handler {
			return gcorelistsecrets.New(gcorelistsecrets.Deps{Store: d.Store, Creds: d.Creds})
		},
	},
	{
		// The delete writes its task (both copies) with plain puts of fresh ids, and removes the
		// secret; it never reads it or decrypts anything.
		Name: "gcore.DeleteSecret", Function: "gcore-deletesecret", API: "Gcore", Dialect: Gcore,
		Service: gcore.Service, Route: gcoredeletesecret.Pattern, Store: store.NeedDelete | store.NeedPut,
		New: func(d Deps) http.Handler {
			return gcoredeletesecret.New(gcoredeletesecret.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
		},
	},
	{
		Name: "gcore.ListTasks", Function: "gcore-listtasks", API: "Gcore", Dialect: Gcore,
		Service: gcore.Service, Route: gcorelisttasks.Pattern, Store: store.NeedList,
		New: func(d Deps) http.Handler {
			return gcorelisttasks.New(gcorelisttasks.Deps{Store: d.Store, Creds: d.Creds})
		},
	},
}, keyManager(barbican.K5), keyManager(barbican.Upstream))

// keyManager is the rows of K5 Key Manager (OpenStack Barbican) in layout l: K5's
// /v1/{tenant_id}/secrets on the K5 API, or upstream Barbican's /v1/secrets on an HTTP API of
// its own. One ServeMux (and, the same way, one HTTP API) cannot hold both layouts: upstream's
// GET /v1/secrets/{id} and K5's GET /v1/{tenant_id}/secrets match the same paths and neither is
// more specific. Both layouts are one store service: a K5 tenant is the project of its tokens.
func keyManager(l barbican.Layout) []Operation {
	dialect, api, create, alias := K5, "K5", k5createsecret.Pattern, ""
	if l.Upstream {
		dialect, api, create, alias = Barbican, "Barbican", k5createsecret.UpstreamPattern, k5createsecret.UpstreamSlash
	}
	row := func(op, route string, need store.Need, newHandler func(Deps) http.Handler) Operation {
		return Operation{Name: string(dialect) + "." + op, Function: string(dialect) + "-" + strings.ToLower(op),
			API: api, Dialect: dialect, Service: keymanager.Service, Route: route, Store: need, New: newHandler}
	}
	ops := []Operation{
		row("CreateSecret", create, store.NeedPut, func(d Deps) http.Handler {
			return k5createsecret.New(k5createsecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecret", k5getsecret.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return k5getsecret.New(k5getsecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Layout: l})
		}),
		row("GetSecretPayload", k5getpayload.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return k5getpayload.New(k5getpayload.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Layout: l})
		}),
		row("ListSecrets", k5listsecrets.Pattern(l), store.NeedList, func(d Deps) http.Handler {
			return k5listsecrets.New(k5listsecrets.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("UpdateSecret", k5updatesecret.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return k5updatesecret.New(k5updatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecretMetadata", k5getmetadata.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return k5getmetadata.New(k5getmetadata.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("ReplaceSecretMetadata", k5putmetadata.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return k5putmetadata.New(k5putmetadata.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("CreateSecretMetadatum", k5createmetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return k5createmetadatum.New(k5createmetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecretMetadatum", k5getmetadatum.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return k5getmetadatum.New(k5getmetadatum.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("UpdateSecretMetadatum", k5updatemetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return k5updatemetadatum.New(k5updatemetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("DeleteSecretMetadatum", k5deletemetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return k5deletemetadatum.New(k5deletemetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("DeleteSecret", k5deletesecret.Pattern(l), store.NeedDelete, func(d Deps) http.Handler {
			return k5deletesecret.New(k5deletesecret.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
	}
	ops[0].Seals, ops[0].Alias = true, alias
	ops[1].Opens, ops[2].Opens = true, true // the deprecated GET secrets/{id} answers the payload too
	ops[4].Seals = true
	return ops
}

// apigw is a row of API Gateway's function: an action after CreateApiKey, in its service.
func apigw(action string, need store.Need, seals, opens bool, build func(Deps) tencent.Action) Operation {
	return Operation{
		Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: Tencent,
		Service: createapikey.Service, Route: "POST /", Action: action,
		Store: need, Seals: seals, Opens: opens, NewAction: build,
	}
}

// teo is a row of EdgeOne's function: an action after CreateMultiPathGatewaySecretKey.
func teo(action string, need store.Need, seals, opens bool, build func(Deps) tencent.Action) Operation {
	return Operation{
		Name: "tencent." + action, Function: "tencent-teo", API: "TencentEdgeOne", Dialect: Tencent,
		Service: createmultipathgatewaysecretkey.Service, Route: "POST /", Action: action,
		Store: need, Seals: seals, Opens: opens, NewAction: build,
	}
}
