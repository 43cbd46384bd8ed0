package alibaba

import (
	"encoding/json"
	"errors"
	"mime"
	"reflect"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// DecodeBody parses an APIG JSON request body into v, a pointer to the operation's request
// struct. An empty body leaves v as it is: the SDK sends none when no field is set, so it is an
// empty object and the operation's validation names the first required field. Otherwise the
// media type must be application/json (415) and the body Unicode text, checked before decoding
// because encoding/json would turn text that is not Unicode into U+FFFD and the value sealed
// would then differ from the one sent. A member of the wrong type is InvalidParameter naming
// it; anything else that is not a JSON object is malformed.
func DecodeBody(contentType string, body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		return fault.New(fault.UnsupportedType, "Content-Type", "must be application/json")
	}
	if err := valid.JSONText(body); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fault.New(fault.Invalid, te.Field, "must be a JSON "+jsonKind(te.Type))
		}
		return fault.New(fault.Malformed, "", "the request body must be a JSON object")
	}
	return nil
}

// jsonKind names the JSON type a request member must have: APIG request members are strings or
// objects of strings.
func jsonKind(t reflect.Type) string {
	if t != nil && t.Kind() == reflect.Struct {
		return "object"
	}
	return "string"
}
