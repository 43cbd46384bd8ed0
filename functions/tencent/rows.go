// Package tencent lists the Tencent Cloud actions keyport serves (API Gateway's API keys and
// EdgeOne's multi-path gateway secret keys), each declared by its package.
package tencent

import (
	"keyport/functions/tencent/createapikey"
	"keyport/functions/tencent/createmultipathgatewaysecretkey"
	"keyport/functions/tencent/deleteapikey"
	"keyport/functions/tencent/describeapikey"
	"keyport/functions/tencent/describeapikeysstatus"
	"keyport/functions/tencent/describemultipathgatewaysecretkey"
	"keyport/functions/tencent/disableapikey"
	"keyport/functions/tencent/enableapikey"
	"keyport/functions/tencent/modifymultipathgatewaysecretkey"
	"keyport/functions/tencent/refreshmultipathgatewaysecretkey"
	"keyport/functions/tencent/updateapikey"
	"keyport/shared/operation"
)

// Rows are the actions, in the order the stack defines functions: each function's first row
// (its create) carries the function's Example.
var Rows = []operation.Row{
	createapikey.Row,
	describeapikey.Row,
	describeapikeysstatus.Row,
	updateapikey.Row,
	enableapikey.Row,
	disableapikey.Row,
	deleteapikey.Row,
	createmultipathgatewaysecretkey.Row,
	describemultipathgatewaysecretkey.Row,
	refreshmultipathgatewaysecretkey.Row,
	modifymultipathgatewaysecretkey.Row,
}
