// Package k5 lists the key manager (OpenStack Barbican) operations in both layouts, each
// declared by its package.
package keymanager

import (
	"net/http"
	"strings"

	k5createmetadatum "keyport/functions/keymanager/createmetadatum"
	k5createsecret "keyport/functions/keymanager/createsecret"
	k5deletemetadatum "keyport/functions/keymanager/deletemetadatum"
	k5deletesecret "keyport/functions/keymanager/deletesecret"
	k5getmetadata "keyport/functions/keymanager/getmetadata"
	k5getmetadatum "keyport/functions/keymanager/getmetadatum"
	k5getpayload "keyport/functions/keymanager/getpayload"
	k5getsecret "keyport/functions/keymanager/getsecret"
	k5listsecrets "keyport/functions/keymanager/listsecrets"
	k5putmetadata "keyport/functions/keymanager/putmetadata"
	k5updatemetadatum "keyport/functions/keymanager/updatemetadatum"
	k5updatesecret "keyport/functions/keymanager/updatesecret"
	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Rows are the rows of K5 Key Manager (OpenStack Barbican) in layout l: K5's
// /v1/{tenant_id}/secrets on the K5 API, or upstream Barbican's /v1/secrets on an HTTP API of
// its own. One ServeMux (and, the same way, one HTTP API) cannot hold both layouts: upstream's
// GET /v1/secrets/{id} and K5's GET /v1/{tenant_id}/secrets match the same paths and neither is
// more specific. Both layouts are one store service: a K5 tenant is the project of its tokens.
func Rows(l keymanager.Layout) []operation.Row {
	dialect, api, create, alias := operation.K5, "K5", k5createsecret.Pattern, ""
	if l.Upstream {
		dialect, api, create, alias = operation.Barbican, "Barbican", k5createsecret.UpstreamPattern, k5createsecret.UpstreamSlash
	}
	row := func(op, route string, need store.Need, newHandler func(operation.Deps) http.Handler) operation.Row {
		return operation.Row{Name: string(dialect) + "." + op, Function: string(dialect) + "-" + strings.ToLower(op),
			API: api, Dialect: dialect, Service: kmsecret.Service, Route: route, Store: need, New: newHandler}
	}
	ops := []operation.Row{
		row("CreateSecret", create, store.NeedPut, func(d operation.Deps) http.Handler {
			return k5createsecret.New(k5createsecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecret", k5getsecret.Pattern(l), store.NeedGet, func(d operation.Deps) http.Handler {
			return k5getsecret.New(k5getsecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Layout: l})
		}),
		row("GetSecretPayload", k5getpayload.Pattern(l), store.NeedGet, func(d operation.Deps) http.Handler {
			return k5getpayload.New(k5getpayload.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Layout: l})
		}),
		row("ListSecrets", k5listsecrets.Pattern(l), store.NeedList, func(d operation.Deps) http.Handler {
			return k5listsecrets.New(k5listsecrets.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("UpdateSecret", k5updatesecret.Pattern(l), store.NeedGet|store.NeedUpdate, func(d operation.Deps) http.Handler {
			return k5updatesecret.New(k5updatesecret.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecretMetadata", k5getmetadata.Pattern(l), store.NeedGet, func(d operation.Deps) http.Handler {
			return k5getmetadata.New(k5getmetadata.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("ReplaceSecretMetadata", k5putmetadata.Pattern(l), store.NeedGet|store.NeedUpdate, func(d operation.Deps) http.Handler {
			return k5putmetadata.New(k5putmetadata.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("CreateSecretMetadatum", k5createmetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d operation.Deps) http.Handler {
			return k5createmetadatum.New(k5createmetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("GetSecretMetadatum", k5getmetadatum.Pattern(l), store.NeedGet, func(d operation.Deps) http.Handler {
			return k5getmetadatum.New(k5getmetadatum.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
		row("UpdateSecretMetadatum", k5updatemetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d operation.Deps) http.Handler {
			return k5updatemetadatum.New(k5updatemetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("DeleteSecretMetadatum", k5deletemetadatum.Pattern(l), store.NeedGet|store.NeedUpdate, func(d operation.Deps) http.Handler {
			return k5deletemetadatum.New(k5deletemetadatum.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now, Layout: l})
		}),
		row("DeleteSecret", k5deletesecret.Pattern(l), store.NeedDelete, func(d operation.Deps) http.Handler {
			return k5deletesecret.New(k5deletesecret.Deps{Store: d.Store, Creds: d.Creds, Layout: l})
		}),
	}
	ops[0].Seals, ops[0].Alias = true, alias
	ops[1].Opens, ops[2].Opens = true, true // the deprecated GET secrets/{id} answers the payload too
	ops[4].Seals = true
	return ops
}
