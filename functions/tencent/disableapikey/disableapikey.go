// Package disableapikey serves Tencent Cloud API Gateway's DisableApiKey (service apigateway, version
// 2018-08-08): the signing account's key gets Status 0 (disabled) and answers Result: true,
// also when it already was disabled. A key that is unknown, deleted or another account's is
// ResourceNotFound.InvalidAccessKeyId.
package disableapikey

import (
	"context"
	"net/http"
	"time"

	"keyport/functions/tencent/apikey"
	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
)

// ActionName is the action as Tencent names it.
const ActionName = "DisableApiKey"

// Deps is what the handler needs. Now nil means time.Now.
type Deps struct {
	Store apikey.GetApplier
	Creds *credentials.Book
	Now   func() time.Time
}

// Action returns DisableApiKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	if d.Now == nil {
		d.Now = time.Now
	}
	return apikey.Action(ActionName, func(ctx context.Context, c tencent.Call) (any, error) {
		id, err := apikey.DecodeID(c.Body)
		if err != nil {
			return nil, err
		}
		if err := apikey.SetStatus(ctx, d.Store, c.Account, id, createapikey.StatusDisabled, d.Now()); err != nil {
			return nil, err
		}
		return apikey.BoolResult{Result: true}, nil
	})
}

// New returns an http.Handler serving DisableApiKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }
