// Package enableapikey serves Tencent Cloud API Gateway's EnableApiKey (service apigateway, version
// 2018-08-08): the signing account's key gets Status 1 (enabled) and answers Result: true,
// also when it already was enabled. A key that is unknown, deleted or another account's is
// ResourceNotFound.InvalidAccessKeyId.
package enableapikey

import (
	"net/http"

	"keyport/functions/tencent/apikey"
	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
)

// ActionName is the action as Tencent names it.
const ActionName = "EnableApiKey"

// Deps is what the handler needs. Now nil means time.Now.
type Deps = apikey.StatusDeps

// Action returns EnableApiKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	return apikey.StatusAction(ActionName, createapikey.StatusEnabled, d)
}

// New returns an http.Handler serving EnableApiKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }
