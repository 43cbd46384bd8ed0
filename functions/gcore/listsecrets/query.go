package listsecrets

import (
	"errors"
	"math"

	"keyport/shared/api/gcore"
)

// Gcore's documented paging bounds: limit defaults to 1000 and is 1 to 1000; offset is 0 or more.
const (
	defaultLimit = 1000
	maxLimit     = 1000
)

// query is a decoded, valid list query.
type query struct {
	limit, offset int64
}

// decode reads limit and offset from a raw query string, reporting every bad parameter by name.
// Other parameters are ignored: Gcore documents none, and a newer client's extra one should
// not break the list.
func decode(raw string) (query, error) {
	q, err := gcore.ParseQuery(raw)
	if err != nil {
		return query{}, err
	}
	limit, errLimit := gcore.QueryInt(q, "limit", defaultLimit, 1, maxLimit)
	offset, errOffset := gcore.QueryInt(q, "offset", 0, 0, math.MaxInt64)
	if err := errors.Join(errLimit, errOffset); err != nil {
		return query{}, err
	}
	return query{limit: limit, offset: offset}, nil
}
