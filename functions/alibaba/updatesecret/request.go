package updatesecret

import (
	"keyport/shared/api/alibaba"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// maxSecretData bounds the value in bytes, as CreateSecret does (64 KiB: API keys and tokens are
// far shorter, and a record stays far below DynamoDB's item limit).
const maxSecretData = 64 << 10

// request is the UpdateSecret body: secretData is its only member. Unknown members are ignored,
// as ROA services do.
type request struct {
	SecretData string `json:"secretData"`
}

// decode parses the body (see alibaba.DecodeBody) and validates it. An empty body is an empty
// object, so it fails as "secretData is required".
func decode(contentType string, body []byte) (request, error) {
	var req request
	if err := alibaba.DecodeBody(contentType, body, &req); err != nil {
		return request{}, err
	}
	return req, req.validate()
}

// validate: a missing, null or empty secretData is refused (a secret without a value is of no
// use, and CreateSecret refuses one too); so is one over the size bound.
func (r request) validate() error {
	if err := valid.Required("secretData", r.SecretData); err != nil {
		return err
	}
	if len(r.SecretData) > maxSecretData {
		return fault.Newf(fault.Invalid, "secretData", "must be at most %d bytes", maxSecretData)
	}
	return nil
}
