// Package describeapikeysstatus serves Tencent Cloud API Gateway's DescribeApiKeysStatus
// (service apigateway, version 2018-08-08): the signing account's keys that match the filters,
// newest first, one page of them with their secrets opened, and how many match in all.
//
// Order: newest first by CreatedTime, and keys created in the same second by AccessKeyId in
// ascending byte order, so the order is total and stable across pages (the vendor documents
// none). A key is listed as soon as its CreateApiKey has answered: the store's List reads
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
	"net/http"
	"slices"
	"sync"
	"time"

	"keyport/functions/tencent/apikey"
	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// ActionName is the action as Tencent names it.
const ActionName = "DescribeApiKeysStatus"

// openConcurrency bounds the KMS Decrypt calls one request has in flight: enough to hide most
// of a page's latency (100 keys in 13 rounds), few enough to stay far from KMS request quotas
// when several lists run at once.
const openConcurrency = 8

type lister interface {
	List(ctx context.Context, q store.Query) (store.Page, error)
}

// Deps is what the handler needs.
type Deps struct {
	Store  lister
	Sealer apikey.Opener
	Creds  *credentials.Book
	Now    func() time.Time
}

// Action returns DescribeApiKeysStatus for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	h := handler{d}
	return apikey.Action(ActionName, h.handle)
}

// New returns an http.Handler serving DescribeApiKeysStatus alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

type handler struct{ Deps }

func (h handler) handle(ctx context.Context, c tencent.Call) (any, error) {
	q, err := decode(c.Body)
	if err != nil {
		return nil, err
	}
	recs, err := h.all(ctx, c.Account)
	if err != nil {
		return nil, err
	}
	recs = slices.DeleteFunc(recs, func(r store.Record) bool { return !matches(r, q.filters) })
	var secrets map[string]string
	if sf := secretFilters(q.filters); sf != nil {
		if secrets, err = h.open(ctx, recs); err != nil {
			return nil, err
		}
		recs = slices.DeleteFunc(recs, func(r store.Record) bool { return !matchesSecret(secrets[r.ID], sf) })
	}
	slices.SortFunc(recs, newestFirst)
	total := len(recs)
	page := recs[min(q.offset, total):min(q.offset+q.limit, total)]
	if secrets == nil {
		if secrets, err = h.open(ctx, page); err != nil {
			return nil, err
		}
	}
	set := make([]createapikey.APIKey, len(page))
	for i, r := range page {
		set[i] = createapikey.KeyFromRecord(r, secrets[r.ID])
	}
	return result{Result: status{TotalCount: int64(total), ApiKeySet: set}}, nil
}

// all reads every key of the account.
func (h handler) all(ctx context.Context, account string) ([]store.Record, error) {
	ref := createapikey.RecordRef(account, "")
	q := store.Query{Service: ref.Service, Tenant: ref.Tenant, Kind: ref.Kind, Limit: store.MaxPageLimit}
	var recs []store.Record
	for {
		page, err := h.Store.List(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("describeapikeysstatus: list: %v", err)
		}
		recs = append(recs, page.Records...)
		if page.Next == "" {
			return recs, nil
		}
		q.Cursor = page.Next
	}
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
	ta, tb := a.Attrs.String(createapikey.AttrCreatedTime), b.Attrs.String(createapikey.AttrCreatedTime)
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
	TotalCount int64                 `json:"TotalCount"`
	ApiKeySet  []createapikey.APIKey `json:"ApiKeySet"`
}
