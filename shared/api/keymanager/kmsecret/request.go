package kmsecret

import (
	"encoding/json"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// DecodeMetadata reads PUT …/metadata's {"metadata": {key: value, …}}: an object of strings,
// keys URL safe (lower-cased), keys and values at most 255 characters. Members other than
// "metadata" are ignored, as Barbican's schema allows them.
func DecodeMetadata(body []byte) (map[string]string, error) {
	doc, err := object(body)
	if err != nil {
		return nil, err
	}
	raw, ok := doc["metadata"]
	if !ok {
		return nil, fault.New(fault.Missing, "metadata", "'metadata' is a required property")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fault.New(fault.Invalid, "metadata", "value is not of type 'object'")
	}
	out := make(map[string]string, len(m))
	for k, rv := range m {
		key, err := MetadataKey(k)
		if err != nil {
			return nil, err
		}
		v, err := str(rv, "metadata")
		if err != nil {
			return nil, err
		}
		out[key] = v
	}
	return out, nil
}

// DecodeMetadatum reads {"key": …, "value": …}: both required strings of at most 255
// characters, nothing else (Barbican's schema forbids other members), the key URL safe and
// returned lower-cased.
func DecodeMetadatum(body []byte) (key, value string, err error) {
	doc, err := object(body)
	if err != nil {
		return "", "", err
	}
	for name := range doc {
		if name != "key" && name != "value" {
			return "", "", fault.New(fault.Invalid, name, "Additional properties are not allowed")
		}
	}
	for _, name := range []string{"key", "value"} {
		if _, ok := doc[name]; !ok {
			return "", "", fault.New(fault.Missing, name, "'"+name+"' is a required property")
		}
	}
	if key, err = str(doc["key"], "key"); err != nil {
		return "", "", err
	}
	if value, err = str(doc["value"], "value"); err != nil {
		return "", "", err
	}
	key, err = MetadataKey(key)
	return key, value, err
}

// object decodes a body that must be one JSON object of Unicode text (400 before decoding
// otherwise, so nothing is stored rewritten). Member names are kept exact: encoding/json would
// match "KEY" to a field key, which Barbican's schema would not.
func object(body []byte) (map[string]json.RawMessage, error) {
	if err := valid.JSONText(body); err != nil {
		f := fault.As(err)
		return nil, fault.New(fault.Malformed, f.Field, "Malformed JSON: "+f.Reason)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil || doc == nil {
		return nil, fault.New(fault.Malformed, "", "Malformed JSON")
	}
	return doc, nil
}

// str reads a JSON string of at most 255 characters. null is not a string (encoding/json
// would leave "" for it).
func str(raw json.RawMessage, field string) (string, error) {
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil || s == nil {
		return "", fault.New(fault.Invalid, field, "value is not of type 'string'")
	}
	return *s, MetadataValue(field, *s)
}
