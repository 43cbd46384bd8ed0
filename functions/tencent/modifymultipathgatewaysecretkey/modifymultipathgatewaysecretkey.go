// Package modifymultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// ModifyMultiPathGatewaySecretKey (service teo, version 2022-09-01): the zone's key is replaced
// by the SecretKey the caller gives (strict base64 of 32-48 bytes, the create's rule); the old
// key is gone and the response is RequestId alone. A zone with no key (or another account's) is
// ResourceNotFound.
package modifymultipathgatewaysecretkey

import (
	"context"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/zonekey"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/valid"
)

// action is the action as Tencent names it.
const action = "ModifyMultiPathGatewaySecretKey"

// Row declares ModifyMultiPathGatewaySecretKey in EdgeOne's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-teo", API: "TencentEdgeOne", Dialect: operation.Tencent,
	Service: zonekey.Service, Route: "POST /", Action: action,
	Store: store.NeedGet | store.NeedUpdate, Seals: true,
	NewAction: newAction,
}

// request is the action's parameters; both are required.
type request struct {
	ZoneID    string `json:"ZoneId"`
	SecretKey string `json:"SecretKey"`
}

// Check checks ZoneId as the create does, then SecretKey: required (MissingParameter) and by
// the create's rule (InvalidParameterValue).
func (r *request) Check() error {
	return valid.First(zonekey.CheckZoneID(r.ZoneID), valid.Required("SecretKey", r.SecretKey), zonekey.CheckSecretKey(r.SecretKey))
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.EdgeOne, action, func(ctx context.Context, c tencent.Call, req *request) (any, error) {
		if err := zonekey.Replace(ctx, d.Store, d.Sealer, c.Account, req.ZoneID, req.SecretKey, d.Now()); err != nil {
			return nil, err
		}
		return struct{}{}, nil // the response is RequestId alone
	})
}
