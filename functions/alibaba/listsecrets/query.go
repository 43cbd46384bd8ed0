package listsecrets

import (
	"net/url"
	"slices"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/fault"
)

// query is a ListSecrets request: its filters and its page.
type query struct {
	gatewayType string // "" for any
	nameLike    string // "" for any
	page        alibaba.Paging
}

// parse reads the query string. gatewayType is API or AI exactly (any other value is refused
// naming it, rather than silently matching nothing); nameLike is a case-sensitive substring of
// the name. APIG calls nameLike a fuzzy search without saying more; a substring is what a
// caller filtering by part of a name expects, and case-sensitive because names are (two names
// differing in case are two secrets). Empty values count as absent; unknown parameters are
// ignored, as ROA services do.
func parse(v url.Values) (query, error) {
	var q query
	var err error
	if q.gatewayType, err = alibaba.QueryValue(v, "gatewayType"); err != nil {
		return query{}, err
	}
	if q.gatewayType != "" && !slices.Contains(apigsecret.GatewayTypes, q.gatewayType) {
		return query{}, fault.New(fault.Invalid, "gatewayType", "must be API or AI")
	}
	if q.nameLike, err = alibaba.QueryValue(v, "nameLike"); err != nil {
		return query{}, err
	}
	q.page, err = alibaba.ParsePaging(v)
	return q, err
}
