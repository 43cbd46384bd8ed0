// Package gcore lists Gcore Cloud's secret and task operations, each declared by its package.
package gcore

import (
	"keyport/functions/gcore/createsecret"
	"keyport/functions/gcore/createsecretv2"
	"keyport/functions/gcore/deletesecret"
	"keyport/functions/gcore/getsecret"
	"keyport/functions/gcore/gettask"
	"keyport/functions/gcore/listsecrets"
	"keyport/functions/gcore/listtasks"
	"keyport/shared/operation"
)

// Rows are the operations, in the order the stack defines functions.
var Rows = []operation.Row{createsecret.Row, gettask.Row, getsecret.Row, listsecrets.Row, deletesecret.Row, listtasks.Row, createsecretv2.Row}
