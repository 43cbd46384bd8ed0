package describeapikeysstatus

import (
	"strconv"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// Paging as Tencent documents it: Limit defaults to 20 and is at most 100; Offset defaults to 0.
const (
	defaultLimit = 20
	maxLimit     = 100
)

// Bounds keyport chooses for Filters, where Tencent documents none (docs/wire/tencent.md,
// "Where the vendor is silent"): enough for any real query (Tencent's serverless tooling sends
// one filter with one value per key of a deployment), small enough that a request cannot make
// the match loop large.
const (
	maxFilters     = 10
	maxValues      = 100
	maxValueLength = 200
)

// The filter names Tencent documents for this action.
const (
	filterAccessKeyID     = "AccessKeyId"
	filterAccessKeySecret = "AccessKeySecret"
	filterSecretName      = "SecretName"
	filterNotUsagePlanID  = "NotUsagePlanId"
	filterStatus          = "Status"
	filterKeyWord         = "KeyWord"
)

var filterNames = []string{filterAccessKeyID, filterAccessKeySecret, filterSecretName, filterNotUsagePlanID, filterStatus, filterKeyWord}

// Codes for refused parameters. The filter name code is the one the SDK lists for this
// action; for paging it lists none, so the code is InvalidParameterValue with the field's name
// as its sub-code, which SDK users matching the InvalidParameterValue prefix still catch.
const (
	codeFilterName = "InvalidParameterValue.InvalidFilterNotSupportedName"
	codeLimit      = "InvalidParameterValue.Limit"
	codeOffset     = "InvalidParameterValue.Offset"
)

// request is DescribeApiKeysStatus's parameters. Limit and Offset are pointers so that an
// omitted Limit (default) is told apart from one given; limit and offset are what Check reads
// them as.
type request struct {
	Limit   *int64   `json:"Limit"`
	Offset  *int64   `json:"Offset"`
	Filters []filter `json:"Filters"`

	limit, offset int
}

// filter is Tencent's Filter structure.
type filter struct {
	Name   string   `json:"Name"`
	Values []string `json:"Values"`
}

// Check reads the paging and checks the filters. Limit 0 is taken as omitted (20), as Tencent's
// paging parameters commonly are; a negative Limit, one over 100, or a negative Offset is
// refused naming the field, never clamped: a caller asking for 500 must learn it gets at most
// 100.
func (r *request) Check() error {
	r.limit = defaultLimit
	if r.Limit != nil && *r.Limit != 0 {
		if *r.Limit < 0 || *r.Limit > maxLimit {
			return fault.Newf(fault.Invalid, "Limit", "must be 1 to %d", maxLimit).WithCode(codeLimit)
		}
		r.limit = int(*r.Limit)
	}
	if r.Offset != nil {
		if *r.Offset < 0 {
			return fault.New(fault.Invalid, "Offset", "must not be negative").WithCode(codeOffset)
		}
		r.offset = int(min(*r.Offset, 1<<31)) // past any account's keys either way
	}
	return checkFilters(r.Filters)
}

// checkFilters checks names and values. A filter with no values is refused rather than
// matching nothing (values are OR-ed, and an empty OR would silently empty the list); a Status
// value other than "0" or "1" is refused rather than matching nothing.
func checkFilters(fs []filter) error {
	if len(fs) > maxFilters {
		return fault.Newf(fault.Invalid, "Filters", "may hold at most %d filters", maxFilters)
	}
	for i, f := range fs {
		field := "Filters." + strconv.Itoa(i)
		if err := valid.OneOf(field+".Name", f.Name, filterNames...); err != nil {
			return fault.As(err).WithCode(codeFilterName)
		}
		if len(f.Values) == 0 || len(f.Values) > maxValues {
			return fault.Newf(fault.Invalid, field+".Values", "must hold 1 to %d values", maxValues)
		}
		for j, v := range f.Values {
			vf := field + ".Values." + strconv.Itoa(j)
			err := valid.Length(vf, v, 0, maxValueLength)
			if err == nil && f.Name == filterStatus {
				err = valid.OneOf(vf, v, "0", "1")
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// window is the part of total matches the request's page holds: [lo, hi), within [0, total]
// whatever the offset (Check bounds it below 2^31, and the limit to 100, so no sum overflows).
func (r request) window(total int) (lo, hi int) {
	lo = min(r.offset, total)
	return lo, min(lo+r.limit, total)
}
