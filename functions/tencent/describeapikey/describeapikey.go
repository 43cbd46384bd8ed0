// Package describeapikey serves Tencent Cloud API Gateway's DescribeApiKey (service apigateway,
// version 2018-08-08): the signing account's key, its AccessKeySecret opened from its envelope,
// as Tencent's ApiKey. A key that is unknown, deleted or another account's is
// ResourceNotFound.InvalidAccessKeyId.
package describeapikey

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
const ActionName = "DescribeApiKey"

// Deps is what the handler needs.
type Deps struct {
	Store  apikey.Getter
	Sealer apikey.Opener
	Creds  *credentials.Book
	Now    func() time.Time
}

// Action returns DescribeApiKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	return apikey.Action(ActionName, func(ctx context.Context, c tencent.Call) (any, error) {
		id, err := apikey.DecodeID(c.Body)
		if err != nil {
			return nil, err
		}
		key, err := apikey.Render(ctx, d.Store, d.Sealer, c.Account, id)
		if err != nil {
			return nil, err
		}
		return result{Result: key}, nil
	})
}

// New returns an http.Handler serving DescribeApiKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

type result struct {
	Result createapikey.APIKey `json:"Result"`
}
