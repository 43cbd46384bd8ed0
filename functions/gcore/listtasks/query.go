package listtasks

import (
	"errors"
	"math"
	"net/url"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretask"
)

// Gcore's documented paging bounds for tasks: limit defaults to 10 and is at most 1000.
const (
	defaultLimit = 10
	maxLimit     = 1000
)

// query is a decoded, valid task-list query, the parameters GC-go's TaskListParams sends.
// Empty slices and zero values mean "no filter".
type query struct {
	limit, offset int64
	projects      []int64 // project_id, repeated
	regions       []int64 // region_id, repeated
	states        []string
	taskType      string
	from, to      time.Time
	acknowledged  *bool // is_acknowledged
	newestFirst   bool  // order_by (or the deprecated sorting) = desc
}

// decode reads the query from a raw query string, reporting every bad parameter by name.
// Unknown parameters are ignored, so a newer client's extra filter does not break the list.
func decode(raw string) (query, error) {
	q, err := gcore.ParseQuery(raw)
	if err != nil {
		return query{}, err
	}
	var out query
	var errs []error
	check := func(err error) { errs = append(errs, err) }
	var e error
	out.limit, e = gcore.QueryInt(q, "limit", defaultLimit, 1, maxLimit)
	check(e)
	out.offset, e = gcore.QueryInt(q, "offset", 0, 0, math.MaxInt64)
	check(e)
	out.projects, e = gcore.QueryIDs(q, "project_id")
	check(e)
	out.regions, e = gcore.QueryIDs(q, "region_id")
	check(e)
	out.states, e = gcore.QueryEnums(q, "state", gcoretask.States...)
	check(e)
	out.taskType, e = gcore.QueryText(q, "task_type")
	check(e)
	out.from, e = gcore.QueryTime(q, "from_timestamp")
	check(e)
	out.to, e = gcore.QueryTime(q, "to_timestamp")
	check(e)
	out.acknowledged, e = gcore.QueryBool(q, "is_acknowledged")
	check(e)
	out.newestFirst, e = order(q)
	check(e)
	if err := errors.Join(errs...); err != nil {
		return query{}, err
	}
	return out, nil
}

// order reads order_by, or the deprecated sorting when order_by is absent (order_by wins when
// both are sent, as the newer parameter). Gcore documents no default; oldest first is chosen
// because it keeps offset paging stable while tasks are being added.
func order(q url.Values) (bool, error) {
	v, err := gcore.QueryEnum(q, "order_by", "asc", "desc")
	if err != nil || v != "" {
		return v == "desc", err
	}
	v, err = gcore.QueryEnum(q, "sorting", "asc", "desc")
	return v == "desc", err
}
