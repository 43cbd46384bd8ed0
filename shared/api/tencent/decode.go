package tencent

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// Decode parses a JSON request body into v, a pointer to a struct, the way Tencent API 3.0
// treats parameters:
//   - a body that is not UTF-8, or holds an unpaired surrogate escape, is InvalidParameterValue
//     naming the parameter (valid.JSONText), checked first because encoding/json would
//     silently turn such text into U+FFFD and the action would store what was not sent;
//   - a body that is not JSON, or not a JSON object, is InvalidParameter;
//   - a parameter the action does not define (names are case-sensitive), at any depth, is
//     UnknownParameter naming it, e.g. "Tags.0.Colour";
//   - a parameter of the wrong JSON type is InvalidParameter naming it, e.g. "Tags.Key".
//
// Messages name parameters, never values.
func Decode(body []byte, v any) error {
	if err := valid.JSONText(body); err != nil {
		return err
	}
	if !json.Valid(body) {
		return fault.New(fault.Malformed, "", "The request body is not valid JSON.")
	}
	t := reflect.TypeOf(v).Elem()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return fault.New(fault.Malformed, "", "The request body must be a JSON object of parameters.")
	}
	if err := checkObject(t, top, ""); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return typeFault(err)
	}
	return nil
}

// checkNames walks raw alongside t and reports the first parameter t does not define.
// Values of the wrong type are skipped here; json.Unmarshal reports them next.
func checkNames(t reflect.Type, raw json.RawMessage, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return nil
		}
		return checkObject(t, m, path)
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for i, item := range items {
			if err := checkNames(t.Elem(), item, join(path, strconv.Itoa(i))); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkObject checks an object's keys (in sorted order, so the error is deterministic).
func checkObject(t reflect.Type, m map[string]json.RawMessage, path string) error {
	fields := fieldsOf(t)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ft, ok := fields[k]
		if !ok {
			return fault.New(fault.Invalid, clip(join(path, k)), "is not a parameter of this action").WithCode("UnknownParameter")
		}
		if err := checkNames(ft, m[k], join(path, k)); err != nil {
			return err
		}
	}
	return nil
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// fieldsOf maps a struct's exported JSON names (tag name, else field name) to field types.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fields[name] = sf.Type
	}
	fieldCache.Store(t, fields)
	return fields
}

// typeFault turns json.Unmarshal's error into InvalidParameter naming the field.
func typeFault(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fault.Newf(fault.Malformed, clip(te.Field), "must be a JSON %s", jsonKind(te.Type))
	}
	return fault.New(fault.Malformed, "", "The request body does not match the action's parameters.")
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return "value of another type"
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
