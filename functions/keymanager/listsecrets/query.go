package listsecrets

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"keyport/shared/fault"
)

// Paging as Barbican's clean_paging_values: limit defaults to 10 and is clamped to 1..100, a
// non-integer limit is the default, a negative or non-integer offset is 0 (docs/wire/keymanager.md,
// "List").
const (
	defaultLimit = 10
	maxLimit     = 100
)

// query is a decoded list query.
type query struct {
	limit, offset    int
	name, alg, mode  *like // nil: no filter
	bits             int   // 0: no filter
	secretType       string
	created, updated []dateFilter
	expiration       []dateFilter
	sort             []sortKey
	aclOnly          bool
	rest             url.Values // every parameter but limit and offset, for next/previous
}

// sortKey is one key of sort, with its direction.
type sortKey struct {
	attr string
	desc bool
}

// sortable are the keys Barbican's _is_valid_sorting allows.
var sortable = []string{"algorithm", "bit_length", "created", "expiration", "mode", "name", "secret_type", "status", "updated"}

// badQuery is Barbican's 400 for a date filter or sort it cannot use.
func badQuery(field string) error {
	return fault.New(fault.Malformed, field, "URI provided invalid query string parameters.")
}

// decode reads a list query. Unknown parameters are ignored, as Barbican ignores them (they are
// still carried into next/previous, as Barbican carries them).
func decode(v url.Values) (query, error) {
	q := query{limit: defaultLimit, rest: url.Values{}}
	if n, err := strconv.Atoi(v.Get("limit")); err == nil {
		q.limit = min(max(n, 1), maxLimit)
	}
	if n, err := strconv.Atoi(v.Get("offset")); err == nil && n > 0 {
		q.offset = n
	}
	for k, vs := range v {
		if k != "limit" && k != "offset" {
			q.rest[k] = vs
		}
	}
	q.name, q.alg, q.mode = likeOf(v, "name"), likeOf(v, "alg"), likeOf(v, "mode")
	q.bits, _ = strconv.Atoi(v.Get("bits")) // a non-integer is no filter, as Barbican treats it as 0
	q.secretType = v.Get("secret_type")
	q.aclOnly = strings.EqualFold(v.Get("acl_only"), "true")
	var err error
	for _, d := range []struct {
		field string
		into  *[]dateFilter
	}{{"created", &q.created}, {"updated", &q.updated}, {"expiration", &q.expiration}} {
		if *d.into, err = dateFilters(d.field, v.Get(d.field)); err != nil {
			return query{}, err
		}
	}
	q.sort, err = sortKeys(v.Get("sort"))
	return q, err
}

func likeOf(v url.Values, key string) *like {
	s := v.Get(key)
	if s == "" {
		return nil
	}
	l := compileLike(s)
	return &l
}

// dateFilter is one comparison of a date filter: op is "eq", "gt", "gte", "lt" or "lte".
type dateFilter struct {
	op string
	t  time.Time
}

// dateFilters parses "[gt:|gte:|lt:|lte:]<ISO 8601>[,…]" as Barbican's _is_valid_date_filter:
// each operator at most once, an equality alone, not both gt and gte nor both lt and lte; a date
// without a zone is UTC. Anything else is 400.
func dateFilters(field, s string) ([]dateFilter, error) {
	if s == "" {
		return nil, nil
	}
	var out []dateFilter
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		op, value := "eq", part
		if o, rest, ok := strings.Cut(part, ":"); ok && slices.Contains([]string{"gt", "gte", "lt", "lte"}, o) {
			op, value = o, rest
		}
		t, err := parseDate(value)
		if err != nil || seen[op] {
			return nil, badQuery(field)
		}
		seen[op] = true
		out = append(out, dateFilter{op, t})
	}
	if seen["eq"] && len(out) > 1 || seen["gt"] && seen["gte"] || seen["lt"] && seen["lte"] {
		return nil, badQuery(field)
	}
	return out, nil
}

// dateLayouts are the ISO 8601 forms accepted: gophercloud sends RFC 3339 (with Z), Barbican
// itself writes zone-less times.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999", "2006-01-02"}

func parseDate(s string) (time.Time, error) {
	var err error
	for _, layout := range dateLayouts {
		var t time.Time
		if t, err = time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// matches reports whether t passes every comparison of fs.
func matches(fs []dateFilter, t time.Time) bool {
	for _, f := range fs {
		c := t.Compare(f.t)
		ok := map[string]bool{"eq": c == 0, "gt": c > 0, "gte": c >= 0, "lt": c < 0, "lte": c <= 0}[f.op]
		if !ok {
			return false
		}
	}
	return true
}

// sortKeys parses "key[:asc|:desc][,…]": a key Barbican does not sort on, a repeated key or
// another direction is 400.
func sortKeys(s string) ([]sortKey, error) {
	if s == "" {
		return nil, nil
	}
	var out []sortKey
	for part := range strings.SplitSeq(s, ",") {
		key, dir, _ := strings.Cut(strings.TrimSpace(part), ":")
		if !slices.Contains(sortable, key) || slices.ContainsFunc(out, func(k sortKey) bool { return k.attr == key }) ||
			dir != "" && dir != "asc" && dir != "desc" {
			return nil, badQuery("sort")
		}
		out = append(out, sortKey{attr: key, desc: dir == "desc"})
	}
	return out, nil
}
