package gcore

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// ParseQuery splits a raw query string into its parameters. Unlike url.ParseQuery it names the
// parameter whose value is not valid percent-encoding, so the refusal can list it in
// invalid_fields, and it takes ';' as an ordinary character rather than refusing it. A name
// that is not valid percent-encoding cannot be named: that is a Malformed fault without a field.
// Every parameter is still read, so each bad one is reported.
func ParseQuery(raw string) (url.Values, error) {
	q := url.Values{}
	var errs []error
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			errs = append(errs, fault.New(fault.Malformed, "", "The query string is not valid URL encoding."))
			continue
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			errs = append(errs, fault.New(fault.Invalid, name, "must be valid URL encoding"))
			continue
		}
		q[name] = append(q[name], value)
	}
	return q, joinFaults(errs)
}

// QueryInt reads the integer query parameter name: absent means def; otherwise it must appear
// once, as ASCII decimal digits, from lo to hi. Anything else is a fault.Invalid naming it, so
// the envelope lists it in invalid_fields.
func QueryInt(q url.Values, name string, def, lo, hi int64) (int64, error) {
	v, ok, err := queryOnce(q, name)
	if !ok || err != nil {
		return def, err
	}
	n, ok := digits(v)
	if !ok || n < lo || n > hi {
		return 0, fault.Newf(fault.Invalid, name, "must be an integer from %d to %d", lo, hi)
	}
	return n, nil
}

// QueryIDs reads a parameter that may repeat (name=1&name=2), each value a positive integer id,
// as GC-go sends its id filters. It returns nil when name is absent.
func QueryIDs(q url.Values, name string) ([]int64, error) {
	var out []int64
	for _, v := range q[name] {
		n, ok := PositiveID(v)
		if !ok {
			return nil, fault.New(fault.Invalid, name, "must be a positive integer")
		}
		out = append(out, n)
	}
	return out, nil
}

// QueryEnums reads a parameter that may repeat, each value one of allowed (case-sensitive).
func QueryEnums(q url.Values, name string, allowed ...string) ([]string, error) {
	for _, v := range q[name] {
		if err := valid.OneOf(name, v, allowed...); err != nil {
			return nil, err
		}
	}
	return q[name], nil
}

// QueryEnum reads a parameter given at most once whose value is one of allowed; "" when absent.
func QueryEnum(q url.Values, name string, allowed ...string) (string, error) {
	v, ok, err := queryOnce(q, name)
	if !ok || err != nil {
		return "", err
	}
	return v, valid.OneOf(name, v, allowed...)
}

// QueryText reads a parameter given at most once, of 1 to 255 characters; "" when absent.
func QueryText(q url.Values, name string) (string, error) {
	v, ok, err := queryOnce(q, name)
	if !ok || err != nil {
		return "", err
	}
	return v, valid.Length(name, v, 1, 255)
}

// QueryTime reads an ISO-8601 date-time given at most once; the zero time when absent. A value
// without a zone is UTC. A space where the zone's '+' belongs is read as '+': an unescaped '+'
// in a query string decodes to a space, and a user typing "+00:00" into curl means the offset.
func QueryTime(q url.Values, name string) (time.Time, error) {
	v, ok, err := queryOnce(q, name)
	if !ok || err != nil {
		return time.Time{}, err
	}
	return valid.Datetime(name, strings.ReplaceAll(v, " ", "+"))
}

// QueryBool reads "true" or "false" (any letter case, as Python's query parsers accept) given
// at most once; nil when absent.
func QueryBool(q url.Values, name string) (*bool, error) {
	v, ok, err := queryOnce(q, name)
	if !ok || err != nil {
		return nil, err
	}
	switch strings.ToLower(v) {
	case "true":
		b := true
		return &b, nil
	case "false":
		b := false
		return &b, nil
	}
	return nil, fault.New(fault.Invalid, name, "must be true or false")
}

// queryOnce returns name's value; ok is false when it is absent. Given twice is a fault: which
// one was meant cannot be known.
func queryOnce(q url.Values, name string) (string, bool, error) {
	vs, ok := q[name]
	if !ok {
		return "", false, nil
	}
	if len(vs) != 1 {
		return "", false, fault.New(fault.Invalid, name, "must be given once")
	}
	return vs[0], true, nil
}

// digits parses s as ASCII decimal digits only: strconv would also take a sign.
func digits(s string) (int64, bool) {
	if n, ok := PositiveID(s); ok {
		return n, true
	}
	return 0, s != "" && strings.Trim(s, "0") == ""
}

// joinFaults is nil for no faults, the fault itself for one, else their join (WriteError lists
// every field of a join).
func joinFaults(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}
