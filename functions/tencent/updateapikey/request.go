package updateapikey

import (
	"keyport/functions/tencent/apikey"
	"keyport/shared/api/tencent"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// request is UpdateApiKey's parameters.
type request struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
}

// decode parses and checks a body: AccessKeyId as every key action checks it, and a given
// AccessKeySecret by CreateApiKey's manual rule (10-50 letters, digits, underscores), as
// InvalidParameter.FormatError, the validation code this action documents. Whether a secret
// may be given at all depends on the key's type, known only once it is read.
func decode(body []byte) (request, error) {
	var r request
	if err := tencent.Decode(body, &r); err != nil {
		return r, err
	}
	err := apikey.CheckID(r.AccessKeyID)
	if err == nil && r.AccessKeySecret != "" {
		err = valid.WordOfLength("AccessKeySecret", r.AccessKeySecret, 10, 50)
		if err != nil {
			err = fault.As(err).WithCode(codeFormatError)
		}
	}
	return r, err
}
