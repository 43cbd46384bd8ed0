package updatesecret

import (
	"encoding/json"
	"errors"
	"mime"

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

// decode checks the media type and that the body is Unicode text, then parses and validates it.
// An empty body is an empty object, so it fails as "secretData is required".
func decode(contentType string, body []byte) (request, error) {
	var req request
	if len(body) == 0 {
		return req, req.validate()
	}
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		return req, fault.New(fault.UnsupportedType, "Content-Type", "must be application/json")
	}
	// Before decoding: encoding/json would turn text that is not Unicode into U+FFFD, and the
	// value sealed would then differ from the one sent.
	if err := valid.JSONText(body); err != nil {
		return request{}, err
	}
	if err := json.Unmarshal(body, &req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return request{}, fault.New(fault.Invalid, te.Field, "must be a JSON string")
		}
		return request{}, fault.New(fault.Malformed, "", "the request body must be a JSON object")
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
