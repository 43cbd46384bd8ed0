// Package describeapikeysstatus serves Tencent Cloud API Gateway's DescribeApiKeysStatus
// (service apigateway, version 2018-08-08): the signing account's keys that match the filters,
// newest first, one page of them with their secrets opened, and how many match in all.
//
// Order: newest first by CreatedTime, and keys created in the same second by AccessKeyId in
// ascending byte order, so the order is total and stable across pages (the vendor documents
// none: docs/wire/tencent.md, "Where the vendor is silent"). A key is listed as soon as its CreateApiKey has answered: the store's List reads
// consistently.
//
// The list reads every key of the account, at most the account's key quota (500 by default),
// then filters, sorts and pages in memory: the filters and the order are on attributes the
// store does not index. Secrets are opened only for the page returned (or, with an
// AccessKeySecret filter, for the keys the other filters left), concurrently but at most
// openConcurrency at a time.
package describeapikeysstatus

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/operation"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "DescribeApiKeysStatus"

// openConcurrency bounds the KMS Decrypt calls one request has in flight: enough to hide most
// of a page's latency (100 keys in 13 rounds), few enough to stay far from KMS request quotas
// when several lists run at once.
const openConcurrency = 8

// Row declares DescribeApiKeysStatus in API Gateway's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store: store.NeedList, Opens: true,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.APIGateway, action, handler{d}.list)
}

type handler struct{ operation.Deps }

func (h handler) list(ctx context.Context, c tencent.Call, q *request) (any, error) {
	recs, err := h.all(ctx, c.Account)
	if err != nil {
		return nil, err
	}
	// Only the keys the signing key's policy lets it list are matched, paged and counted.
	visible := []*policy.Policy{c.Policy}
	recs = slices.DeleteFunc(recs, func(r store.Record) bool {
		return !matches(r, q.Filters) || !policy.Visible(ctx, visible, r.ID)
	})
	var secrets map[string]string
	if sf := secretFilters(q.Filters); sf != nil {
		if secrets, err = h.open(ctx, recs); err != nil {
			return nil, err
		}
		recs = slices.DeleteFunc(recs, func(r store.Record) bool { return !matchesSecret(secrets[r.ID], sf) })
	}
	slices.SortFunc(recs, newestFirst)
	total := len(recs)
	lo, hi := q.window(total)
	page := recs[lo:hi]
	if secrets == nil {
		if secrets, err = h.open(ctx, page); err != nil {
			return nil, err
		}
	}
	set := make([]apikey.APIKey, len(page))
	for i, r := range page {
		set[i] = apikey.FromRecord(r, secrets[r.ID])
	}
	return result{Result: status{TotalCount: int64(total), ApiKeySet: set}}, nil
}

// all reads every key of the account.
func (h handler) all(ctx context.Context, account string) ([]store.Record, error) {
	ref := apikey.RecordRef(account, "")
	var recs []store.Record
	for rec, err := range store.All(ctx, h.Store, store.Query{Service: ref.Service, Tenant: ref.Tenant, Kind: ref.Kind}) {
		if err != nil {
			return nil, fmt.Errorf("describeapikeysstatus: list: %w", err)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// open opens the secrets of recs, at most openConcurrency at a time, and returns them by id.
// The first failure cancels the opens not yet started.
func (h handler) open(ctx context.Context, recs []store.Record) (map[string]string, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	secrets := make([]string, len(recs))
	slots := make(chan struct{}, openConcurrency)
	var wg sync.WaitGroup
	for i, r := range recs {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			s, err := apikey.Open(ctx, h.Sealer, r)
			if err != nil {
				cancel(err)
			}
			secrets[i] = s
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("describeapikeysstatus: %v", err)
	}
	out := make(map[string]string, len(recs))
	for i, r := range recs {
		out[r.ID] = secrets[i]
	}
	return out, nil
}

// newestFirst orders by CreatedTime descending (the layout sorts as text), then by id.
func newestFirst(a, b store.Record) int {
	ta, tb := a.Attrs.String(apikey.AttrCreatedTime), b.Attrs.String(apikey.AttrCreatedTime)
	if c := cmp.Compare(tb, ta); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

type result struct {
	Result status `json:"Result"`
}

// status is Tencent's ApiKeysStatus structure.
type status struct {
	TotalCount int64           `json:"TotalCount"`
	ApiKeySet  []apikey.APIKey `json:"ApiKeySet"`
}
