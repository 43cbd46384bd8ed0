// Package listsecrets is Barbican's GET secrets (K5 layout: /v1/{tenant_id}/secrets; upstream:
// /v1/secrets), gophercloud's secrets.List: {secrets, total, next?, previous?} with offset/limit
// paging, Barbican's filters (name, alg, mode as SQL LIKE; bits; secret_type; created, updated
// and expiration comparisons) and sort keys.
//
// A page without filters or sort, for a caller whose policy hides nothing, is read from the
// store's creation index: total is the store's Count and the page one window after an offset
// the store skips, O(limit) index entries whatever the project holds. A filtered or sorted
// page (or one for a caller whose policy may hide secrets) scans index entries, which carry
// the metadata but never the payload, and filters, sorts and pages them in memory
// (docs/benchmarks.md, "Issue 17: pages"): a name filter without wildcards reads only the
// entries of that name, and one that begins with a literal ("name%") only those of the names
// that begin with it, from the store's attribute index on name; any other filter scans the
// project's entries.
package listsecrets

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/operation"
	"keyport/shared/pages"
	"keyport/shared/store"
)

// Row is the list in layout l.
func Row(l keymanager.Layout) operation.Row {
	return operation.Row{
		Name: l.Dialect() + ".ListSecrets", Function: l.Dialect() + "-listsecrets",
		API: l.API(), Dialect: operation.Dialect(l.Dialect()), Service: kmsecret.Service,
		Route: l.Pattern("GET", "/secrets"), Store: store.NeedList,
		New: func(d operation.Deps) http.Handler {
			return keymanager.Handle(l, d.Creds, d.Store, keymanager.Op{Names: keymanager.SecretList,
				Do: func(q *keymanager.Request) (keymanager.Answer, error) { return list(q, d.Store) }})
		},
		Example: &operation.Example{Path: l.ExamplePath("/secrets"), Query: "limit=10&offset=0", Header: l.ExampleHeader()},
	}
}

// page is the answer's body.
type page struct {
	Secrets  []kmsecret.Metadata `json:"secrets"`
	Total    int                 `json:"total"`
	Next     string              `json:"next,omitempty"`
	Previous string              `json:"previous,omitempty"`
}

func list(q *keymanager.Request, st store.Lister) (keymanager.Answer, error) {
	lq, err := decode(q.URL.Query())
	if err != nil {
		return keymanager.Answer{}, err
	}
	body, err := answer(q.Context(), st, q.Project, q.Base, lq, q.ShowsAll(), q.Visible)
	if err != nil {
		return keymanager.Answer{}, err
	}
	return keymanager.Answer{JSON: body}, nil
}

// answer is page lq of project's secrets, with hrefs under base, for a caller that sees the
// secrets visible allows (all of them when showsAll).
func answer(ctx context.Context, st store.Lister, project, base string, lq query, showsAll bool, visible func(store.Record) bool) (page, error) {
	if lq.aclOnly {
		// acl_only lists the secrets whose ACL names the caller; keyport does not filter lists
		// by ACL, so it lists none (docs/wire/keymanager.md).
		return lq.render(nil, 0, base), nil
	}
	idx := store.Query{Service: kmsecret.Service, Tenant: project, Kind: kmsecret.Kind, Order: store.Oldest, Entries: true}
	if lq.unfiltered() && showsAll {
		recs, total, err := pages.Counted(ctx, st, idx, func(n int64) (int64, int64) {
			return pages.Bounds(n, int64(lq.offset), int64(lq.limit))
		})
		if err != nil {
			return page{}, err
		}
		return lq.render(recs, int(total), base), nil
	}
	if lit := lq.name.literal(); lit != "" {
		// A pattern without wildcards is the name itself.
		idx.Order, idx.AttrPrefix, idx.AttrExact = store.ByAttr, lit, lit == string(*lq.name)
	}
	recs, err := pages.Matches(ctx, st, idx, func(rec store.Record) bool { return lq.keep(rec) && visible(rec) })
	if err != nil {
		return page{}, err
	}
	if idx.Order == store.ByAttr {
		slices.SortFunc(recs, store.CompareOldest) // the attribute index is in name order
	}
	slices.SortStableFunc(recs, lq.compare)
	return lq.paginate(recs, base), nil
}

// unfiltered reports whether q keeps every secret in creation order: no filter and no sort.
func (q query) unfiltered() bool {
	return q.name == nil && q.alg == nil && q.mode == nil && q.bits == 0 && q.secretType == "" &&
		q.created == nil && q.updated == nil && q.expiration == nil && q.sort == nil
}

// paginate renders q's page of recs (every match, in order) with hrefs under base.
func (q query) paginate(recs []store.Record, base string) page {
	lo, hi := pages.Bounds(int64(len(recs)), int64(q.offset), int64(q.limit))
	return q.render(recs[lo:hi], len(recs), base)
}

// render is the answer of q's window recs (index entries) of total matches, with hrefs under
// base. Any offset is safe, up to the largest int: next is only offered when it is within the
// total, computed without offset+limit.
func (q query) render(recs []store.Record, total int, base string) page {
	out := page{Secrets: make([]kmsecret.Metadata, 0, len(recs)), Total: total}
	for _, rec := range recs {
		out.Secrets = append(out.Secrets, kmsecret.EntryMetadataOf(rec, base+"/secrets/"+rec.ID))
	}
	if q.offset < total-q.limit { // offset+limit < total, without the sum
		out.Next = q.href(base, q.offset+q.limit)
	}
	if q.offset > 0 {
		out.Previous = q.href(base, max(q.offset-q.limit, 0))
	}
	return out
}

// href is Barbican's absolute navigation link: <base>/secrets?limit=L&offset=O followed by the
// request's other parameters, so the next page keeps its filters and sort.
func (q query) href(base string, offset int) string {
	s := base + "/secrets?limit=" + strconv.Itoa(q.limit) + "&offset=" + strconv.Itoa(offset)
	if len(q.rest) > 0 {
		s += "&" + q.rest.Encode()
	}
	return s
}

// keep reports whether rec passes every filter of q.
func (q query) keep(rec store.Record) bool {
	a := rec.Attrs
	m := kmsecret.MetadataOf(rec, "")
	return likes(q.name, m.Name) && likes(q.alg, m.Algorithm) && likes(q.mode, m.Mode) &&
		(q.bits == 0 || m.BitLength != nil && *m.BitLength == int64(q.bits)) &&
		(q.secretType == "" || a.String("secret_type") == q.secretType) &&
		dated(q.created, a.String("created")) && dated(q.updated, a.String("updated")) &&
		dated(q.expiration, a.String("expiration"))
}

func likes(p *like, v *string) bool { return p == nil || v != nil && p.match(*v) }

// dated reports whether the stored time s passes fs; a secret without the time (no
// expiration) passes no filter on it, as NULL compares false in SQL.
func dated(fs []dateFilter, s string) bool {
	if len(fs) == 0 {
		return true
	}
	t, err := kmsecret.ParseIsoformat(s)
	return err == nil && matches(fs, t)
}

// compare orders by q's sort keys only: the entries come in creation order (created to the
// millisecond, then id), and a stable sort keeps it among equal keys. Barbican without sort has
// no order at all; keyport's creation order is stable, so offset paging sees each secret
// exactly once. An absent value sorts first ascending, as NULL does in MySQL.
func (q query) compare(x, y store.Record) int {
	for _, k := range q.sort {
		c := compareAttr(x.Attrs, y.Attrs, k.attr)
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// compareAttr compares one attribute. bit_length is numeric; the times are isoformat strings,
// which order as the times do (same layout, fraction only when non-zero, '.' before digits).
func compareAttr(x, y store.Attrs, attr string) int {
	if attr == "bit_length" {
		return cmpNullable(kmsecret.BitLength(x), kmsecret.BitLength(y))
	}
	sx, okx := x[attr].(string)
	sy, oky := y[attr].(string)
	return cmpNullable(ptr(sx, okx), ptr(sy, oky))
}

func ptr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

func cmpNullable[T cmp.Ordered](x, y *T) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return -1
	case y == nil:
		return 1
	}
	return cmp.Compare(*x, *y)
}
