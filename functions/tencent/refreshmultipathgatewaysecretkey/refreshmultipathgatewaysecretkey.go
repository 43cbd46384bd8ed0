// Package refreshmultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// RefreshMultiPathGatewaySecretKey (service teo, version 2022-09-01): the zone's key is replaced
// by a newly generated one, which the response carries; the old key is gone. A zone with no key
// (or another account's) is ResourceNotFound.
package refreshmultipathgatewaysecretkey

import (
	"context"
	"net/http"
	"time"

	cm "keyport/functions/tencent/createmultipathgatewaysecretkey"
	"keyport/functions/tencent/zonekey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
)

// ActionName is the action as Tencent names it.
const ActionName = "RefreshMultiPathGatewaySecretKey"

// Deps is what the handler needs. Now nil means time.Now.
type Deps struct {
	Store  zonekey.GetApplier
	Sealer zonekey.Sealer
	Creds  *credentials.Book
	Now    func() time.Time
}

// request is the action's parameters.
type request struct {
	ZoneID string `json:"ZoneId"`
}

// Action returns RefreshMultiPathGatewaySecretKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	if d.Now == nil {
		d.Now = time.Now
	}
	return zonekey.Action(ActionName, func(ctx context.Context, c tencent.Call) (any, error) {
		var req request
		if err := tencent.Decode(c.Body, &req); err != nil {
			return nil, err
		}
		if err := zonekey.CheckZoneID(req.ZoneID); err != nil {
			return nil, err
		}
		key := cm.NewSecretKey()
		if err := zonekey.Replace(ctx, d.Store, d.Sealer, c.Account, req.ZoneID, key, d.Now()); err != nil {
			return nil, err
		}
		return result{SecretKey: key}, nil
	})
}

// New returns an http.Handler serving the action alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

type result struct {
	SecretKey string `json:"SecretKey"`
}
