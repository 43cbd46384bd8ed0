// Package tencent lists the Tencent Cloud actions keyport serves (API Gateway's API keys and
// EdgeOne's multi-path gateway secret keys), each declared by its package.
package tencent

import (
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
	"keyport/shared/api/tencent"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Rows are the actions, in the order the stack defines functions.
var Rows = []operation.Row{
	{
		Name: "tencent.CreateApiKey", Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
		Service: createapikey.Service, Route: "POST /", Action: createapikey.ActionName,
		Store: store.NeedPut | store.NeedCount, Seals: true, Quota: true,
		NewAction: func(d operation.Deps) tencent.Action {
			return createapikey.Action(createapikey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now, KeyLimit: d.KeyLimit})
		},
	},
	apigw("DescribeApiKey", store.NeedGet, false, true, func(d operation.Deps) tencent.Action {
		return describeapikey.Action(describeapikey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	apigw("DescribeApiKeysStatus", store.NeedList, false, true, func(d operation.Deps) tencent.Action {
		return describeapikeysstatus.Action(describeapikeysstatus.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	apigw("UpdateApiKey", store.NeedGet|store.NeedUpdate, true, false, func(d operation.Deps) tencent.Action {
		return updateapikey.Action(updateapikey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	apigw("EnableApiKey", store.NeedGet|store.NeedUpdate, false, false, func(d operation.Deps) tencent.Action {
		return enableapikey.Action(enableapikey.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
	}),
	apigw("DisableApiKey", store.NeedGet|store.NeedUpdate, false, false, func(d operation.Deps) tencent.Action {
		return disableapikey.Action(disableapikey.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
	}),
	apigw("DeleteApiKey", store.NeedGet|store.NeedDelete|store.NeedCount, false, false, func(d operation.Deps) tencent.Action {
		return deleteapikey.Action(deleteapikey.Deps{Store: d.Store, Creds: d.Creds, Now: d.Now})
	}),
	{
		Name: "tencent.CreateMultiPathGatewaySecretKey", Function: "tencent-teo", API: "TencentEdgeOne", Dialect: operation.Tencent,
		Service: createmultipathgatewaysecretkey.Service, Route: "POST /", Action: createmultipathgatewaysecretkey.ActionName,
		Store: store.NeedPut, Seals: true,
		NewAction: func(d operation.Deps) tencent.Action {
			return createmultipathgatewaysecretkey.Action(createmultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
		},
	},
	teo("DescribeMultiPathGatewaySecretKey", store.NeedGet, false, true, func(d operation.Deps) tencent.Action {
		return describemultipathgatewaysecretkey.Action(describemultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	teo("RefreshMultiPathGatewaySecretKey", store.NeedGet|store.NeedUpdate, true, false, func(d operation.Deps) tencent.Action {
		return refreshmultipathgatewaysecretkey.Action(refreshmultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
	teo("ModifyMultiPathGatewaySecretKey", store.NeedGet|store.NeedUpdate, true, false, func(d operation.Deps) tencent.Action {
		return modifymultipathgatewaysecretkey.Action(modifymultipathgatewaysecretkey.Deps{Store: d.Store, Sealer: d.Sealer, Creds: d.Creds, Now: d.Now})
	}),
}

// apigw is a row of API Gateway's function: an action after CreateApiKey, in its service.
func apigw(action string, need store.Need, seals, opens bool, build func(operation.Deps) tencent.Action) operation.Row {
	return operation.Row{
		Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
		Service: createapikey.Service, Route: "POST /", Action: action,
		Store: need, Seals: seals, Opens: opens, NewAction: build,
	}
}

// teo is a row of EdgeOne's function: an action after CreateMultiPathGatewaySecretKey.
func teo(action string, need store.Need, seals, opens bool, build func(operation.Deps) tencent.Action) operation.Row {
	return operation.Row{
		Name: "tencent." + action, Function: "tencent-teo", API: "TencentEdgeOne", Dialect: operation.Tencent,
		Service: createmultipathgatewaysecretkey.Service, Route: "POST /", Action: action,
		Store: need, Seals: seals, Opens: opens, NewAction: build,
	}
}
