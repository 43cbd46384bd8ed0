// Package keymanager lists the key manager's operations (K5 Key Manager, which is OpenStack
// Barbican's API), each declared by its package, in either URL layout.
package keymanager

import (
	"keyport/functions/keymanager/createmetadatum"
	"keyport/functions/keymanager/createsecret"
	"keyport/functions/keymanager/deleteacl"
	"keyport/functions/keymanager/deletemetadatum"
	"keyport/functions/keymanager/deletesecret"
	"keyport/functions/keymanager/getacl"
	"keyport/functions/keymanager/getmetadata"
	"keyport/functions/keymanager/getmetadatum"
	"keyport/functions/keymanager/getpayload"
	"keyport/functions/keymanager/getsecret"
	"keyport/functions/keymanager/listsecrets"
	"keyport/functions/keymanager/patchacl"
	"keyport/functions/keymanager/putacl"
	"keyport/functions/keymanager/putmetadata"
	"keyport/functions/keymanager/updatemetadatum"
	"keyport/functions/keymanager/updatesecret"
	"keyport/shared/api/keymanager"
	"keyport/shared/operation"
)

// Rows are the operations in layout l (K5's /v1/{tenant_id}/secrets on the K5 API, or upstream
// Barbican's /v1/secrets on an HTTP API of its own), in the order the stack defines functions
// and the invoke test chains them: the create first, whose secret the others read and change,
// the delete last. Both layouts are one store service: a K5 tenant is the project of its tokens.
func Rows(l keymanager.Layout) []operation.Row {
	return []operation.Row{
		createsecret.Row(l),
		getsecret.Row(l),
		getpayload.Row(l),
		listsecrets.Row(l),
		updatesecret.Row(l),
		getmetadata.Row(l),
		putmetadata.Row(l),
		createmetadatum.Row(l),
		getmetadatum.Row(l),
		updatemetadatum.Row(l),
		deletemetadatum.Row(l),
		getacl.Row(l),
		putacl.Row(l),
		patchacl.Row(l),
		deleteacl.Row(l),
		deletesecret.Row(l),
	}
}
