// Package listsecrets is Barbican's GET secrets (K5 layout: /v1/{tenant_id}/secrets; upstream:
// /v1/secrets), gophercloud's secrets.List: {secrets, total, next?, previous?} with offset/limit
// paging, Barbican's filters (name, alg, mode as SQL LIKE; bits; secret_type; created, updated
// and expiration comparisons) and sort keys.
//
// The store lists a project's secrets by id, and Barbican's filters and sorts are over metadata,
// so the operation reads the project's live secrets, filters, sorts and pages them in memory.
// That costs one store page per 1000 secrets of the project per request (measured by make
// bench); a project of K5's scale (Barbican's default quota is unlimited, K5's is not
// published) stays within a few pages.
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
	var recs []store.Record
	if !lq.aclOnly {
		// acl_only lists the secrets whose ACL names the caller; keyport has no ACLs, so none.
		if recs, err = scan(q.Context(), st, q.Project); err != nil {
			return keymanager.Answer{}, err
		}
	}
	recs = slices.DeleteFunc(recs, func(rec store.Record) bool { return !lq.keep(rec) || !q.Visible(rec) })
	slices.SortStableFunc(recs, lq.compare)
	return keymanager.Answer{JSON: lq.paginate(recs, q.Base)}, nil
}

// scan reads every live secret of project.
func scan(ctx context.Context, st store.Lister, project string) ([]store.Record, error) {
	var recs []store.Record
	for rec, err := range store.All(ctx, st, store.Query{Service: kmsecret.Service, Tenant: project, Kind: kmsecret.Kind}) {
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// paginate renders q's page of recs (every match, in order) with hrefs under base. Any offset is
// safe, up to the largest int: the window is clipped to recs before anything is added to it,
// and next is only offered when it is within recs.
func (q query) paginate(recs []store.Record, base string) page {
	start := min(q.offset, len(recs))
	end := start + min(q.limit, len(recs)-start)
	out := page{Secrets: make([]kmsecret.Metadata, 0, end-start), Total: len(recs)}
	for _, rec := range recs[start:end] {
		out.Secrets = append(out.Secrets, kmsecret.MetadataOf(rec, base+"/secrets/"+rec.ID))
	}
	if q.offset < len(recs)-q.limit { // offset+limit < total, without the sum
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

// compare orders by q's sort keys, then by created and id. Barbican without sort has no order
// at all; keyport's creation order is stable, so offset paging sees each secret exactly once.
// An absent value sorts first ascending, as NULL does in MySQL.
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
	return cmp.Or(compareAttr(x.Attrs, y.Attrs, "created"), cmp.Compare(x.ID, y.ID))
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
