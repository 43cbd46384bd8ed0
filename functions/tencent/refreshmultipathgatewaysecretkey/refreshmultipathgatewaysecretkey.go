// Package refreshmultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// RefreshMultiPathGatewaySecretKey (service teo, version 2022-09-01): the zone's key is replaced
// by a newly generated one, which the response carries; the old key is gone. A zone with no key
// (or another account's) is ResourceNotFound.
package refreshmultipathgatewaysecretkey

import (
	"context"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/zonekey"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "RefreshMultiPathGatewaySecretKey"

// Row declares RefreshMultiPathGatewaySecretKey in EdgeOne's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-teo", API: "TencentEdgeOne", Dialect: operation.Tencent,
	Service: zonekey.Service, Route: "POST /", Action: action,
	Store: store.NeedGet | store.NeedUpdate, Seals: true,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.EdgeOne, action, func(ctx context.Context, c tencent.Call, p *zonekey.ZoneParams) (any, error) {
		key := zonekey.NewSecretKey()
		if err := zonekey.Replace(ctx, d.Store, d.Sealer, c.Account, p.ZoneID, key, d.Now()); err != nil {
			return nil, err
		}
		return result{SecretKey: key}, nil
	})
}

type result struct {
	SecretKey string `json:"SecretKey"`
}
