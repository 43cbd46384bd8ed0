package updateapikey

import (
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/fault"
)

// request is UpdateApiKey's parameters.
type request struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
}

// Check checks AccessKeyId as every key action does, and a given AccessKeySecret by
// CreateApiKey's manual rule (10-50 letters, digits, underscores), as
// InvalidParameter.FormatError, the validation code this action documents. Whether a secret
// may be given at all depends on the key's type, known only once it is read.
func (r *request) Check() error {
	err := apikey.CheckID(r.AccessKeyID)
	if err == nil && r.AccessKeySecret != "" {
		if err = apikey.CheckSecret(r.AccessKeySecret); err != nil {
			err = fault.As(err).WithCode(codeFormatError)
		}
	}
	return err
}
