// Package disableapikey serves Tencent Cloud API Gateway's DisableApiKey (service apigateway, version
// 2018-08-08): the signing account's key gets Status 0 (disabled) and answers Result: true,
// also when it already was disabled. A key that is unknown, deleted or another account's is
// ResourceNotFound.InvalidAccessKeyId.
package disableapikey

import (
	"net/http"

	"keyport/functions/tencent/apikey"
	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
)

// ActionName is the action as Tencent names it.
const ActionName = "DisableApiKey"

// Deps is what the handler needs. Now nil means time.Now.
type Deps = apikey.StatusDeps

// Action returns DisableApiKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	return apikey.StatusAction(ActionName, createapikey.StatusDisabled, d)
}

// New returns an http.Handler serving DisableApiKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }
