// Package listsecrets serves Gcore Cloud's "list secrets"
// (GET /cloud/v1/secrets/{project_id}/{region_id}?limit=&offset=): {"count": total,
// "results": [Secret…]} for one project and region, oldest first.
package listsecrets

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/operation"
	"keyport/shared/pages"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// Row declares the operation.
var Row = operation.Row{
	Name:     "gcore.ListSecrets",
	Function: "gcore-listsecrets",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "GET /cloud/v1/secrets/{project_id}/{region_id}",
	Store:    store.NeedList,
	New:      newHandler,
	Example: &operation.Example{
		Path:  "/cloud/v1/secrets/1/76",
		Query: "limit=1000&offset=0",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"user-agent":    "Gcore/Go 0.1.0",
		},
	},
}

// newHandler lists the live secrets of the path's project and region, oldest first, from the
// store's creation index (the region is the index group, gcoresecret.InRegion). Gcore
// documents no order; oldest first is chosen because it is stable under offset paging while
// secrets are being created: a new secret sorts after every existing one, so a client walking
// the pages sees each existing secret exactly once. Secrets created in the same millisecond go
// by id (docs/wire/gcore.md, "Lists and paging").
//
// For a key whose policy hides no secret of the region (policy.ShowsAll), count is the store's
// Count and the page one window of the index after an offset the store skips: O(limit) index
// entries, whatever the region holds. Otherwise the region's entries are scanned, the visible
// ones kept, and count and the page computed over them. Either way only index entries are
// read (every field but the sealed payload), which is all a list item shows.
func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Scoped: true, Act: func(r gcore.Request) (gcore.Reply, error) {
		q, err := decode(r.URL.RawQuery)
		if err != nil {
			return gcore.Reply{}, err
		}
		page, err := answer(r.Context(), d.Store, r.Scope, []*policy.Policy{r.Key.Policy}, q)
		if err != nil {
			return gcore.Reply{}, err
		}
		return gcore.Reply{Body: gcore.MapPage(page, gcoresecret.Secret.JSON)}, nil
	}})
}

// answer is page q of the secrets of scope that policies ps let the caller see.
func answer(ctx context.Context, st store.Lister, scope gcore.Scope, ps []*policy.Policy, q query) (gcore.Page[gcoresecret.Secret], error) {
	idx := gcoresecret.InRegion(scope)
	idx.Order, idx.Entries = store.Oldest, true
	resource := strconv.FormatInt(scope.Project, 10) + "/" + strconv.FormatInt(scope.Region, 10) + "/"
	var recs []store.Record
	var total int64
	if policy.ShowsAll(ctx, ps, resource) {
		var err error
		recs, total, err = pages.Counted(ctx, st, idx, func(n int64) (int64, int64) { return pages.Bounds(n, q.offset, q.limit) })
		if err != nil {
			return gcore.Page[gcoresecret.Secret]{}, err
		}
	} else {
		matches, err := pages.Matches(ctx, st, idx, func(rec store.Record) bool {
			_, id, _ := strings.Cut(rec.ID, "/")
			return policy.Visible(ctx, ps, resource+id)
		})
		if err != nil {
			return gcore.Page[gcoresecret.Secret]{}, err
		}
		total = int64(len(matches))
		lo, hi := pages.Bounds(total, q.offset, q.limit)
		recs = matches[lo:hi]
	}
	out := gcore.Page[gcoresecret.Secret]{Count: int(total), Results: make([]gcoresecret.Secret, len(recs))}
	for i, rec := range recs {
		s, err := gcoresecret.FromRecord(rec)
		if err != nil {
			return gcore.Page[gcoresecret.Secret]{}, err
		}
		out.Results[i] = s
	}
	return out, nil
}
