// Package alibaba lists Alibaba Cloud APIG's secret operations, each declared by its package.
package alibaba

import (
	"keyport/functions/alibaba/createsecret"
	"keyport/functions/alibaba/deletesecret"
	"keyport/functions/alibaba/getsecret"
	"keyport/functions/alibaba/getsecretvalue"
	"keyport/functions/alibaba/listsecretreferences"
	"keyport/functions/alibaba/listsecrets"
	"keyport/functions/alibaba/updatesecret"
	"keyport/shared/operation"
)

// Rows are the operations, in the order the stack defines functions. The reads spend the
// request's nonce in the store (a Put) only once they succeed, so a replay is refused by every
// instance; GetSecretValue alone opens values, and only the create and UpdateSecret seal them.
// DeleteSecret comes last so that the invoke test's chain (create, read, update, delete) ends
// with the secret gone.
var Rows = []operation.Row{
	createsecret.Row,
	getsecret.Row,
	listsecrets.Row,
	getsecretvalue.Row,
	updatesecret.Row,
	listsecretreferences.Row,
	deletesecret.Row,
}
