package gcore

import (
	"errors"
	"net/http"
	"strings"

	"keyport/shared/fault"
)

// errNilError stands in for the cause when WriteError is handed a nil error, so the log line
// still says something went wrong.
var errNilError = errors.New("gcore: WriteError called with a nil error")

// fieldRequired is the reason Gcore's validation gives for a missing field (pydantic's wording,
// as in Gcore's error-handling page); a fault.Missing is always rendered with it.
const fieldRequired = "Field required"

// collect flattens err into its faults: every leaf of an errors.Join tree, in order. A leaf
// that is not a *fault.Error becomes an Internal fault.
func collect(err error, out []*fault.Error) []*fault.Error {
	switch e := err.(type) {
	case *fault.Error:
		return append(out, e)
	case interface{ Unwrap() []error }:
		n := len(out)
		for _, inner := range e.Unwrap() {
			out = collect(inner, out)
		}
		if len(out) > n {
			return out
		}
	case interface{ Unwrap() error }:
		if inner := e.Unwrap(); inner != nil {
			return collect(inner, out)
		}
	}
	return append(out, &fault.Error{Kind: fault.Internal})
}

func hasInternal(faults []*fault.Error) bool {
	for _, f := range faults {
		if f.Kind == fault.Internal {
			return true
		}
	}
	return false
}

// isValidation reports whether a kind is about the request's fields, so belongs in
// invalid_fields.
func isValidation(k fault.Kind) bool {
	return k == fault.Invalid || k == fault.Missing || k == fault.Malformed || k == fault.TooLarge
}

// describe builds the message and invalid_fields. For validation faults that name fields the
// message follows Gcore's documented form, a Python dict repr:
// "Validation Error: {'name': ['Field required']}".
func describe(first *fault.Error, faults []*fault.Error, status int) (string, map[string][]string) {
	if !isValidation(first.Kind) {
		return reasonOr(first, status), nil
	}
	fields := map[string][]string{}
	var order []string
	for _, f := range faults {
		if f.Field == "" || !isValidation(f.Kind) {
			continue
		}
		if _, seen := fields[f.Field]; !seen {
			order = append(order, f.Field)
		}
		fields[f.Field] = append(fields[f.Field], reason(f))
	}
	if len(order) == 0 {
		return reasonOr(first, status), nil
	}
	var b strings.Builder
	b.WriteString("Validation Error: {")
	for i, name := range order {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyQuote(name) + ": [")
		for j, r := range fields[name] {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pyQuote(r))
		}
		b.WriteString("]")
	}
	b.WriteString("}")
	return b.String(), fields
}

// reason is one entry of invalid_fields: Gcore's wording for a missing field, else the
// fault's own reason.
func reason(f *fault.Error) string {
	switch {
	case f.Kind == fault.Missing:
		return fieldRequired
	case f.Reason != "":
		return f.Reason
	}
	return f.Kind.String()
}

// reasonOr is the fault's client-safe reason, or the status text when it has none.
func reasonOr(f *fault.Error, status int) string {
	if f.Reason != "" {
		return f.Reason
	}
	return http.StatusText(status)
}

// pyQuote renders s the way Python's repr renders a str in the common case.
func pyQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
