// Package modifymultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// ModifyMultiPathGatewaySecretKey (service teo, version 2022-09-01): the zone's key is replaced
// by the SecretKey the caller gives (strict base64 of 32-48 bytes, the create's rule); the old
// key is gone and the response is RequestId alone. A zone with no key (or another account's) is
// ResourceNotFound.
package modifymultipathgatewaysecretkey

import (
	"context"
	"net/http"
	"time"

	cm "keyport/functions/tencent/createmultipathgatewaysecretkey"
	"keyport/functions/tencent/zonekey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
	"keyport/shared/valid"
)

// ActionName is the action as Tencent names it.
const ActionName = "ModifyMultiPathGatewaySecretKey"

// Deps is what the handler needs. Now nil means time.Now.
type Deps struct {
	Store  zonekey.GetApplier
	Sealer zonekey.Sealer
	Creds  *credentials.Book
	Now    func() time.Time
}

// request is the action's parameters; both are required.
type request struct {
	ZoneID    string `json:"ZoneId"`
	SecretKey string `json:"SecretKey"`
}

// decode parses and checks a body: ZoneId as the create checks it, SecretKey required
// (MissingParameter) and then by the create's rule (InvalidParameterValue).
func decode(body []byte) (request, error) {
	var r request
	if err := tencent.Decode(body, &r); err != nil {
		return r, err
	}
	return r, valid.First(zonekey.CheckZoneID(r.ZoneID), valid.Required("SecretKey", r.SecretKey), cm.CheckSecretKey(r.SecretKey))
}

// Action returns ModifyMultiPathGatewaySecretKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	if d.Now == nil {
		d.Now = time.Now
	}
	return zonekey.Action(ActionName, func(ctx context.Context, c tencent.Call) (any, error) {
		req, err := decode(c.Body)
		if err != nil {
			return nil, err
		}
		if err := zonekey.Replace(ctx, d.Store, d.Sealer, c.Account, req.ZoneID, req.SecretKey, d.Now()); err != nil {
			return nil, err
		}
		return struct{}{}, nil // the response is RequestId alone
	})
}

// New returns an http.Handler serving the action alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }
