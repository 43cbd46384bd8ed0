// Package describemultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// DescribeMultiPathGatewaySecretKey (service teo, version 2022-09-01): the signing account's key
// of a zone, opened from its envelope, as the base64 string it was created or last set with. A
// zone with no key (or another account's) is ResourceNotFound.
package describemultipathgatewaysecretkey

import (
	"context"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/zonekey"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "DescribeMultiPathGatewaySecretKey"

// Row declares DescribeMultiPathGatewaySecretKey in EdgeOne's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-teo", API: "TencentEdgeOne", Dialect: operation.Tencent,
	Service: zonekey.Service, Route: "POST /", Action: action,
	Store: store.NeedGet, Opens: true,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.EdgeOne, action, func(ctx context.Context, c tencent.Call, p *zonekey.ZoneParams) (any, error) {
		rec, err := zonekey.Get(ctx, d.Store, c.Account, p.ZoneID)
		if err != nil {
			return nil, err
		}
		key, err := zonekey.Open(ctx, d.Sealer, rec)
		if err != nil {
			return nil, err
		}
		return result{SecretKey: key}, nil
	})
}

type result struct {
	SecretKey string `json:"SecretKey"`
}
