package updatesecret

import (
	"keyport/shared/api/alibaba/apigsecret"
)

// request is the UpdateSecret body: secretData is its only member. Unknown members are ignored,
// as ROA services do. An empty body is an empty object (see alibaba.DecodeBody), so it fails as
// "secretData is required".
type request struct {
	SecretData string `json:"secretData"`
}

// Validate: a missing, null or empty secretData is refused (a secret without a value is of no
// use, and CreateSecret refuses one too); so is one over the size bound.
func (r request) Validate() error { return apigsecret.ValidValue(r.SecretData) }
