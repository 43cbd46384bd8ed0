// Package disableapikey serves Tencent Cloud API Gateway's DisableApiKey (service apigateway, version
// 2018-08-08): the signing account's key gets Status 0 (disabled) and answers Result: true,
// also when it already was disabled. A key that is unknown, deleted or another account's is
// ResourceNotFound.InvalidAccessKeyId.
package disableapikey

import (
	"context"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "DisableApiKey"

// Row declares DisableApiKey in API Gateway's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store:     store.NeedGet | store.NeedUpdate,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.APIGateway, action, func(ctx context.Context, c tencent.Call, p *apikey.KeyParams) (any, error) {
		if err := apikey.SetStatus(ctx, d.Store, c.Account, p.AccessKeyID, apikey.StatusDisabled, d.Now()); err != nil {
			return nil, err
		}
		return apikey.Done, nil
	})
}
