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
	gcorecreatesecret "keyport/functions/gcore/createsecret"
	gcoregettask "keyport/functions/gcore/gettask"
	"keyport/functions/k5/createmetadatum"
	k5createsecret "keyport/functions/k5/createsecret"
	"keyport/functions/k5/deletemetadatum"
	"keyport/functions/k5/deletesecret"
	"keyport/functions/k5/getmetadata"
	"keyport/functions/k5/getmetadatum"
	"keyport/functions/k5/getpayload"
	"keyport/functions/k5/getsecret"
	"keyport/functions/k5/listsecrets"
	"keyport/functions/k5/putmetadata"
	"keyport/functions/k5/updatemetadatum"
	"keyport/functions/k5/updatesecret"
	"keyport/functions/tencent/createapikey"
	"keyport/functions/tencent/createmultipathgatewaysecretkey"
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
	{
		Name: "tencent.CreateApiKey", Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: Tencent,
		Service: createapikey.Service, Route: "POST /", Action: createapikey.ActionName,
		Store: store.NeedPut | store.NeedCount, Seals: true, Quota: true,
		NewAction: func(d Deps) tencent.Action {
			return createapikey.Action(createapikey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, KeyLimit: d.KeyLimit})
		},
	},
	{
		Name: "tencent.CreateMultiPathGatewaySecretKey", Function: "tencent-teo", API: "TencentEdgeOne", Dialect: Tencent,
		Service: createmultipathgatewaysecretkey.Service, Route: "POST /", Action: createmultipathgatewaysecretkey.ActionName,
		Store: store.NeedPut, Seals: true,
		NewAction: func(d Deps) tencent.Action {
			return createmultipathgatewaysecretkey.Action(createmultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
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
		row("GetSecret", getsecret.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return getsecret.New(getsecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Layout: l})
		}),
		row("GetSecretPayload", getpayload.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return getpayload.New(getpayload.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Layout: l})
		}),
		row("ListSecrets", listsecrets.Pattern(l), store.NeedList, func(d Deps) http.Handler {
			return listsecrets.New(listsecrets.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("UpdateSecret", updatesecret.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return updatesecret.New(updatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecretMetadata", getmetadata.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return getmetadata.New(getmetadata.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("ReplaceSecretMetadata", putmetadata.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return putmetadata.New(putmetadata.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("CreateSecretMetadatum", createmetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return createmetadatum.New(createmetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecretMetadatum", getmetadatum.Pattern(l), store.NeedGet, func(d Deps) http.Handler {
			return getmetadatum.New(getmetadatum.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("UpdateSecretMetadatum", updatemetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return updatemetadatum.New(updatemetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("DeleteSecretMetadatum", deletemetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d Deps) http.Handler {
			return deletemetadatum.New(deletemetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("DeleteSecret", deletesecret.Pattern(l), store.NeedDelete, func(d Deps) http.Handler {
			return deletesecret.New(deletesecret.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
	}
	ops[0].Seals, ops[0].Alias = true, alias
	ops[1].Opens, ops[2].Opens = true, true // the deprecated GET secrets/{id} answers the payload too
	ops[4].Seals = true
	return ops
}
