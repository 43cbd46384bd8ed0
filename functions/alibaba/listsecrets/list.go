package listsecrets

import (
	"context"
	"fmt"
	"strings"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/pages"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// list answers page q of the account's secrets that match q's filters and that the caller's
// policy lets it see (by the secret's name or its id, docs/policies.md), newest first, from
// the store's creation index: items carry metadata only, so the page reads index entries,
// never a sealed value.
//
//   - Without a filter, and with a policy that hides nothing (policy.ShowsAll), totalSize is
//     the store's Count and the page is one window of the index after an offset the store
//     skips: O(pageSize) entries, whatever the account holds.
//   - Otherwise every entry of the account is scanned (Matches) and the total and the page
//     are computed over the matches.
//
// Order: the index's Newest, createTimestamp descending and, for secrets created in the same
// millisecond, secretId descending (the exact reverse of creation order), so paging sees each
// secret exactly once while nothing is created or deleted (docs/wire/alibaba.md, "Where the
// vendor is silent").
func list(ctx context.Context, st store.Lister, account string, visible *policy.Policy, q query) (alibaba.Page[apigsecret.View], error) {
	idx := store.Query{Service: alibaba.Service, Tenant: account, Kind: apigsecret.Kind, Order: store.Newest, Entries: true}
	var recs []store.Record
	var total int
	if q.gatewayType == "" && q.nameLike == "" && policy.ShowsAll(ctx, []*policy.Policy{visible}, "") {
		var n int64
		var err error
		recs, n, err = pages.Counted(ctx, st, idx, func(total int64) (int64, int64) {
			lo, hi := q.page.Bounds(int(total))
			return int64(lo), int64(hi)
		})
		if err != nil {
			return alibaba.Page[apigsecret.View]{}, fmt.Errorf("listsecrets: list: %w", err)
		}
		total = int(n)
	} else {
		matches, err := pages.Matches(ctx, st, idx, func(rec store.Record) bool {
			return q.matches(rec) && policy.Visible(ctx, []*policy.Policy{visible}, rec.Attrs.String(apigsecret.AttrName), rec.ID)
		})
		if err != nil {
			return alibaba.Page[apigsecret.View]{}, fmt.Errorf("listsecrets: list: %w", err)
		}
		total = len(matches)
		lo, hi := q.page.Bounds(total)
		recs = matches[lo:hi]
	}
	items := make([]apigsecret.View, 0, len(recs))
	for _, rec := range recs {
		items = append(items, apigsecret.ListItemOf(rec))
	}
	return alibaba.NewPage(q.page, total, items), nil
}

func (q query) matches(rec store.Record) bool {
	return (q.gatewayType == "" || rec.Attrs.String(apigsecret.AttrGatewayType) == q.gatewayType) &&
		strings.Contains(rec.Attrs.String(apigsecret.AttrName), q.nameLike)
}
