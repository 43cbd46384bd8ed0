// Package enableapikey serves Tencent Cloud API Gateway's EnableApiKey (service apigateway, version
// 2018-08-08): the signing account's key gets Status 1 (enabled) and answers Result: true,
// also when it already was enabled. A key that is unknown, deleted or another account's is
// ResourceNotFound.InvalidAccessKeyId.
package enableapikey

import (
	"context"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "EnableApiKey"

// Row declares EnableApiKey in API Gateway's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store:     store.NeedGet | store.NeedUpdate,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.APIGateway, action, func(ctx context.Context, c tencent.Call, p *apikey.KeyParams) (any, error) {
		if err := apikey.SetStatus(ctx, d.Store, c.Account, p.AccessKeyID, apikey.StatusEnabled, d.Now()); err != nil {
			return nil, err
		}
		return apikey.Done, nil
	})
}
