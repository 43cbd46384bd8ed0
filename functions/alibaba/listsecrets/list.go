package listsecrets

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// list reads every secret of the account, keeps the matches the caller's policy lets it see
// (by the secret's name or its id, docs/policies.md), orders them newest first and
// returns the page asked for. Numbered pages and a total need every match, so the cost grows
// with the account's secrets (store.All reads them a store page of store.MaxPageLimit at a
// time); the measured figure is in docs/benchmarks.md.
//
// Order: createTimestamp descending, then secretId ascending, so secrets created in one
// millisecond keep one order across calls and paging sees each exactly once while nothing is
// created or deleted.
func list(ctx context.Context, st store.Lister, account string, visible *policy.Policy, q query) (alibaba.Page[apigsecret.View], error) {
	var matches []store.Record
	for rec, err := range store.All(ctx, st, store.Query{Service: alibaba.Service, Tenant: account, Kind: apigsecret.Kind}) {
		if err != nil {
			return alibaba.Page[apigsecret.View]{}, fmt.Errorf("listsecrets: list: %w", err)
		}
		if q.matches(rec) && policy.Visible(ctx, []*policy.Policy{visible}, rec.Attrs.String(apigsecret.AttrName), rec.ID) {
			matches = append(matches, rec)
		}
	}
	slices.SortFunc(matches, func(a, b store.Record) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	lo, hi := q.page.Bounds(len(matches))
	items := make([]apigsecret.View, 0, hi-lo)
	for _, rec := range matches[lo:hi] {
		items = append(items, apigsecret.ListItemOf(rec))
	}
	return alibaba.NewPage(q.page, len(matches), items), nil
}

func (q query) matches(rec store.Record) bool {
	return (q.gatewayType == "" || rec.Attrs.String(apigsecret.AttrGatewayType) == q.gatewayType) &&
		strings.Contains(rec.Attrs.String(apigsecret.AttrName), q.nameLike)
}
