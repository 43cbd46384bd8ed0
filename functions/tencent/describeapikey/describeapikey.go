// Package describeapikey serves Tencent Cloud API Gateway's DescribeApiKey (service apigateway,
// version 2018-08-08): the signing account's key, its AccessKeySecret opened from its envelope,
// as Tencent's ApiKey. A key that is unknown, deleted or another account's is
// ResourceNotFound.InvalidAccessKeyId.
package describeapikey

import (
	"context"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "DescribeApiKey"

// Row declares DescribeApiKey in API Gateway's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store: store.NeedGet, Opens: true,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.APIGateway, action, func(ctx context.Context, c tencent.Call, p *apikey.KeyParams) (any, error) {
		key, err := apikey.Render(ctx, d.Store, d.Sealer, c.Account, p.AccessKeyID)
		if err != nil {
			return nil, err
		}
		return result{Result: key}, nil
	})
}

type result struct {
	Result apikey.APIKey `json:"Result"`
}
