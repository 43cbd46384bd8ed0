// Package describemultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// DescribeMultiPathGatewaySecretKey (service teo, version 2022-09-01): the signing account's key
// of a zone, opened from its envelope, as the base64 string it was created or last set with. A
// zone with no key (or another account's) is ResourceNotFound.
package describemultipathgatewaysecretkey

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"keyport/functions/tencent/zonekey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
)

// ActionName is the action as Tencent names it.
const ActionName = "DescribeMultiPathGatewaySecretKey"

// Deps is what the handler needs.
type Deps struct {
	Store  zonekey.Getter
	Sealer zonekey.Opener
	Creds  *credentials.Book
	Now    func() time.Time
}

// request is the action's parameters.
type request struct {
	ZoneID string `json:"ZoneId"`
}

// Action returns DescribeMultiPathGatewaySecretKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	return zonekey.Action(ActionName, func(ctx context.Context, c tencent.Call) (any, error) {
		var req request
		if err := tencent.Decode(c.Body, &req); err != nil {
			return nil, err
		}
		if err := zonekey.CheckZoneID(req.ZoneID); err != nil {
			return nil, err
		}
		rec, err := zonekey.Get(ctx, d.Store, c.Account, req.ZoneID)
		if err != nil {
			return nil, err
		}
		key, err := d.Sealer.Open(ctx, zonekey.Scope(c.Account), rec.Ref.AAD(), rec.Sealed)
		if err != nil {
			return nil, fmt.Errorf("describemultipathgatewaysecretkey: open: %v", err)
		}
		return result{SecretKey: string(key)}, nil
	})
}

// New returns an http.Handler serving the action alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

type result struct {
	SecretKey string `json:"SecretKey"`
}
