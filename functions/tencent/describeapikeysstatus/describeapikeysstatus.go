// Package describeapikeysstatus serves Tencent Cloud API Gateway's DescribeApiKeysStatus
// (service apigateway, version 2018-08-08): the signing account's keys that match the filters,
// newest first, one page of them with their secrets opened, and how many match in all.
//
// Order: newest first by CreatedTime, and keys created in the same second by AccessKeyId in
// ascending byte order, so the order is total and stable across pages (the vendor documents
// none: docs/wire/tencent.md, "Where the vendor is silent"). A key is listed as soon as its
// CreateApiKey has answered: the store's List reads consistently.
//
// The list reads the store's creation index (index entries: every field but the sealed
// secret) and reads the full record, and opens its secret, only for each key of the page (or,
// with an AccessKeySecret filter, for the keys the other filters left), concurrently but at
// most openConcurrency at a time.
//
//   - Without a filter, for a signing key whose policy hides no key (policy.ShowsAll),
//     TotalCount is the store's Count and the page is read around one window of the index:
//     the index orders keys by creation second and then by id descending, which is Tencent's
//     order but for keys created in the same second, so the window is widened to the whole
//     seconds at its two ends and sorted (fastWindow): O(Limit) entries, plus the keys that
//     share those two seconds.
//   - Otherwise every entry of the account is scanned (at most the account's key quota, 500
//     by default), filtered, sorted and paged in memory.
package describeapikeysstatus

import (
	"cmp"
	"context"
	"errors"
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

// openConcurrency bounds the keys one request reads and opens at once (a store Get and a KMS
// Decrypt each): enough to hide most
// of a page's latency (100 keys in 13 rounds), few enough to stay far from KMS request quotas
// when several lists run at once.
const openConcurrency = 8

// Row declares DescribeApiKeysStatus in API Gateway's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store: store.NeedList | store.NeedGet, Opens: true,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.APIGateway, action, handler{d}.list)
}

type handler struct{ operation.Deps }

func (h handler) list(ctx context.Context, c tencent.Call, q *request) (any, error) {
	ref := apikey.RecordRef(c.Account, "")
	idx := store.Query{Service: ref.Service, Tenant: ref.Tenant, Kind: ref.Kind, Order: store.Newest, Entries: true}
	visible := []*policy.Policy{c.Policy}
	var page []store.Record
	var total int
	var secrets map[string]string
	if len(q.Filters) == 0 && policy.ShowsAll(ctx, visible, "") {
		n, err := h.Store.Count(ctx, idx)
		if err != nil {
			return nil, fmt.Errorf("describeapikeysstatus: count: %w", err)
		}
		total = int(n)
		lo, hi := q.window(total)
		if page, err = fastWindow(ctx, h.Store, idx, total, lo, hi); err != nil {
			return nil, fmt.Errorf("describeapikeysstatus: list: %w", err)
		}
	} else {
		// Only the keys the signing key's policy lets it list are matched, paged and counted.
		recs, opened, err := h.candidates(ctx, idx, q.Filters, func(r store.Record) bool {
			return matches(r, q.Filters) && policy.Visible(ctx, visible, r.ID)
		})
		if err != nil {
			return nil, err
		}
		secrets = opened
		if sf := secretFilters(q.Filters); sf != nil {
			if secrets == nil {
				if recs, secrets, err = h.load(ctx, recs); err != nil {
					return nil, err
				}
			}
			recs = slices.DeleteFunc(recs, func(r store.Record) bool { return !matchesSecret(secrets[r.ID], sf) })
		}
		slices.SortFunc(recs, newestFirst)
		total = len(recs)
		lo, hi := q.window(total)
		page = recs[lo:hi]
	}
	if secrets == nil {
		var err error
		if page, secrets, err = h.load(ctx, page); err != nil {
			return nil, err
		}
	}
	set := make([]apikey.APIKey, len(page))
	for i, r := range page {
		set[i] = apikey.FromRecord(r, secrets[r.ID])
	}
	return result{Result: status{TotalCount: int64(total), ApiKeySet: set}}, nil
}

// fastWindow is [lo, hi) of the account's total keys in Tencent's order, read from the
// creation index in Newest order, (created second, id) descending. The two orders differ only
// among keys of one second, so the index's window [lo, hi) is widened to whole seconds: forward
// past hi while the keys share the last key's second, and backward before lo (the index read
// oldest first from total-lo) while they share the first key's second; sorting that run in
// Tencent's order puts the page at the same place, len(backward) into it.
func fastWindow(ctx context.Context, st store.Lister, idx store.Query, total, lo, hi int) ([]store.Record, error) {
	if hi <= lo {
		return nil, nil
	}
	idx.Offset, idx.Limit = lo, hi-lo+16
	var run []store.Record
	for rec, err := range store.All(ctx, st, idx) {
		if err != nil {
			return nil, err
		}
		if len(run) >= hi-lo && createdTime(rec) != createdTime(run[len(run)-1]) {
			break
		}
		run = append(run, rec)
	}
	if len(run) == 0 {
		return nil, nil // keys were deleted since the count
	}
	var before []store.Record
	if lo > 0 {
		back := idx
		back.Order, back.Offset, back.Limit = store.Oldest, total-lo, 16
		for rec, err := range store.All(ctx, st, back) {
			if err != nil {
				return nil, err
			}
			if createdTime(rec) != createdTime(run[0]) {
				break
			}
			before = append(before, rec)
		}
	}
	run = append(before, run...)
	slices.SortFunc(run, newestFirst)
	start := len(before)
	return run[start:min(start+hi-lo, len(run))], nil
}

func createdTime(r store.Record) string { return r.Attrs.String(apikey.AttrCreatedTime) }

// load reads the full record (with its sealed secret) of each index entry and opens its
// secret, at most openConcurrency keys at a time. It returns the records, in the entries'
// order, and their secrets by id; a key deleted since its entry was read is left out. The
// first failure cancels the keys not yet started.
func (h handler) load(ctx context.Context, entries []store.Record) ([]store.Record, map[string]string, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	recs := make([]store.Record, len(entries))
	found := make([]bool, len(entries))
	secrets := make([]string, len(entries))
	slots := make(chan struct{}, openConcurrency)
	var wg sync.WaitGroup
	for i, e := range entries {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			rec, err := h.Store.Get(ctx, e.Ref)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return
			case err != nil:
				cancel(fmt.Errorf("describeapikeysstatus: get: %w", err))
				return
			}
			s, err := apikey.Open(ctx, h.Sealer, rec)
			if err != nil {
				cancel(errors.New("describeapikeysstatus: " + err.Error())) // KMS errors carry no kind
				return
			}
			recs[i], found[i], secrets[i] = rec, true, s
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}
	out, byID := make([]store.Record, 0, len(entries)), make(map[string]string, len(entries))
	for i, rec := range recs {
		if found[i] {
			out = append(out, rec)
			byID[rec.ID] = secrets[i]
		}
	}
	return out, byID, nil
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
