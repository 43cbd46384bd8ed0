package describeapikeysstatus

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/pages/pagestest"
	"keyport/shared/policy"
	"keyport/shared/seal"
	"keyport/shared/store"
)

var base = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// seeded creates keys through CreateApiKey (so the records are the create's own): auto keys
// and manual ones with random ids (so ids run against creation order), several per second,
// in the development account and another; and writes them in large transactions.
func seeded(t testing.TB, rng *rand.Rand, dev, other int) (store.Store, *seal.Sealer) {
	t.Helper()
	h := tencenttest.NewHarness(t)
	capture := pagestest.NewCapture(h.Store)
	book, err := credentials.FromDocument(credentials.Document{Tencent: []credentials.SigningKey{
		{ID: credentials.DevTencentSecretID, Secret: credentials.DevTencentSecretKey, Account: credentials.DevTencentAccount},
		{ID: "AKIDkeyportOtherAccount", Secret: "keyportOtherSecretKey", Account: "100000000002"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var now time.Time
	create := createapikey.Row.Serve(operation.Deps{Store: capture, Sealer: h.Sealer, Creds: book, Now: func() time.Time { return now }})
	for i := range dev + other {
		id, key := credentials.DevTencentSecretID, credentials.DevTencentSecretKey
		if i >= dev {
			id, key = "AKIDkeyportOtherAccount", "keyportOtherSecretKey"
		}
		now = base.Add(time.Duration(rng.IntN((dev+other)/4+1)) * time.Second)
		name := fmt.Sprintf("%c%c-%d", 'a'+rng.IntN(3), 'a'+rng.IntN(3), i)
		body := fmt.Sprintf(`{"SecretName":%q,"AccessKeyType":"auto"}`, name)
		if rng.IntN(2) == 0 {
			body = fmt.Sprintf(`{"SecretName":%q,"AccessKeyType":"manual","AccessKeyId":"m%08x%d","AccessKeySecret":"secret_%06d"}`, name, rng.Uint32(), i, i)
		}
		r := tencenttest.Request{Action: "CreateApiKey", Version: tencent.APIGateway.Version, Service: tencent.APIGateway.Service,
			Body: body, Time: now, SecretID: id, SecretKey: key}.HTTP(t)
		w := tencenttest.Serve(t, create, r)
		if code := tencenttest.Code(t, w.Body.Bytes()); code != "" {
			t.Fatalf("create %s: %s", body, w.Body)
		}
	}
	if err := capture.Flush(context.Background(), h.Store, 1000); err != nil {
		t.Fatal(err)
	}
	return h.Store, h.Sealer
}

// reference is request q's answer computed from every full record of account: filtered, the
// secrets opened for the secret filters and the page, ordered by CreatedTime descending then id
// ascending, and cut.
func reference(t *testing.T, ctx context.Context, h handler, account string, p *policy.Policy, q *request) result {
	var all []store.Record
	ref := apikey.RecordRef(account, "")
	for rec, err := range store.All(ctx, h.Store, store.Query{Service: ref.Service, Tenant: ref.Tenant, Kind: ref.Kind}) {
		if err != nil {
			t.Fatal(err)
		}
		if matches(rec, q.Filters) && policy.Visible(ctx, []*policy.Policy{p}, rec.ID) {
			all = append(all, rec)
		}
	}
	all, secrets, err := h.load(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	all = slices.DeleteFunc(all, func(r store.Record) bool { return !matchesSecret(secrets[r.ID], secretFilters(q.Filters)) })
	slices.SortFunc(all, newestFirst)
	lo, hi := q.window(len(all))
	set := make([]apikey.APIKey, 0, hi-lo)
	for _, r := range all[lo:hi] {
		set = append(set, apikey.FromRecord(r, secrets[r.ID]))
	}
	return result{Result: status{TotalCount: int64(len(all)), ApiKeySet: set}}
}

var listAction = []string{"tencent:DescribeApiKeysStatus"}

func statements(s ...policy.Statement) *policy.Policy { return &policy.Policy{Statements: s} }

// TestPathsAgree: in a random account of a few hundred keys beside another account's, every
// page (random offsets and limits, past the end included; with random filters; for a key
// without a policy, one whose policy shows all without the certainty, one that shows some)
// equals the answer computed from every full record, with the page's secrets opened.
func TestPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	st, sealer := seeded(t, rng, 300, 40)
	counting := pagestest.NewCounting(st)
	h := handler{operation.Deps{Store: counting, Sealer: sealer}}
	ctx := policy.WithAction(context.Background(), "tencent:DescribeApiKeysStatus")
	seesAll := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{"none"}})
	some := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"AKID*", "m0*", "m9*"}})
	policies := []*policy.Policy{nil, seesAll, some}
	ids, names := exactSamples(t, st)
	filters := [][]filter{nil, {{Name: filterStatus, Values: []string{"1"}}}, {{Name: filterKeyWord, Values: []string{"a", "bb"}}},
		{{Name: filterAccessKeySecret, Values: []string{"secret_000007", "secret_000100"}}}, {{Name: filterNotUsagePlanID, Values: []string{"x"}}},
		{{Name: filterAccessKeyID, Values: ids}}, {{Name: filterSecretName, Values: names}},
		{{Name: filterSecretName, Values: names}, {Name: filterStatus, Values: []string{"1"}}},
		{{Name: filterSecretName, Values: names}, {Name: filterAccessKeyID, Values: ids}}}
	for i := range 300 {
		limit, offset := int64(rng.IntN(101)), int64(rng.IntN(330))
		q := &request{Limit: &limit, Offset: &offset, Filters: filters[rng.IntN(len(filters))]}
		if err := q.Check(); err != nil {
			t.Fatal(err)
		}
		p := policies[rng.IntN(len(policies))]
		counting.Reset()
		got, err := h.list(ctx, tencent.Call{Account: credentials.DevTencentAccount, Policy: p}, q)
		if err != nil {
			t.Fatal(err)
		}
		reads := counting.Reads()
		want := reference(t, ctx, handler{operation.Deps{Store: st, Sealer: sealer}}, credentials.DevTencentAccount, p, q)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			t.Fatalf("case %d (limit %d offset %d filters %v policy %d):\n got %s\nwant %s", i, limit, offset, q.Filters, slices.Index(policies, p), gj, wj)
		}
		exact := exactValues(q.Filters, filterAccessKeyID) != nil || exactValues(q.Filters, filterSecretName) != nil
		switch fast := p == nil && q.Filters == nil; {
		case fast && reads.Records > int64(2*q.limit+40), !fast && !exact && reads.Records < 300:
			t.Fatalf("case %d: read %d records, fast path %v", i, reads.Records, fast)
		case exact && reads.Records > 2*int64(len(ids)+q.limit):
			t.Fatalf("case %d: exact filters %v read %d records, want only their keys", i, q.Filters, reads.Records)
		}
	}
}

// exactSamples returns AccessKeyId and SecretName filter values: some of the account's keys,
// keys of the other account (never listed), values no key has, a duplicate, and an id no key
// can have.
func exactSamples(t *testing.T, st store.Store) (ids, names []string) {
	t.Helper()
	for _, account := range []string{credentials.DevTencentAccount, "100000000002"} {
		q := store.Query{Service: apikey.Service, Tenant: account, Kind: "apikey", Limit: 7}
		page, err := st.List(context.Background(), q)
		if err != nil || len(page.Records) < 7 {
			t.Fatalf("samples of %s: %v, %d keys", account, err, len(page.Records))
		}
		for _, r := range page.Records[:4] {
			ids, names = append(ids, r.ID), append(names, r.Attrs.String(apikey.AttrSecretName))
		}
	}
	return append(ids, ids[0], "AKIDnoSuchKey000", "bad id!"), append(names, names[0], "zz-none", "a")
}

// TestPageReadsItsItems: in an account of 2,000 keys (created a few per second) a page of 100
// reads its 100 records and about as many index entries, at offset 0 and at a deep offset;
// a key whose policy hides one scans the 2,000 entries and does not see it.
func TestPageReadsItsItems(t *testing.T) {
	st, sealer := seeded(t, rand.New(rand.NewPCG(21, 22)), 2000, 0)
	counting := pagestest.NewCounting(st)
	h := handler{operation.Deps{Store: counting, Sealer: sealer}}
	ctx := policy.WithAction(context.Background(), "tencent:DescribeApiKeysStatus")
	call := func(p *policy.Policy, offset int64, fs ...filter) (status, pagestest.Reads) {
		t.Helper()
		limit := int64(100)
		q := &request{Limit: &limit, Offset: &offset, Filters: fs}
		if err := q.Check(); err != nil {
			t.Fatal(err)
		}
		counting.Reset()
		got, err := h.list(ctx, tencent.Call{Account: credentials.DevTencentAccount, Policy: p}, q)
		if err != nil {
			t.Fatal(err)
		}
		return got.(result).Result, counting.Reads()
	}
	for _, offset := range []int64{0, 1800} {
		s, r := call(nil, offset)
		if len(s.ApiKeySet) != 100 || s.TotalCount != 2000 || r.Records > 2*100+40 {
			t.Errorf("offset %d: %d keys of %d, read %d records; want 100 of 2000, reading about 200", offset, len(s.ApiKeySet), s.TotalCount, r.Records)
		}
	}
	first, _ := call(nil, 0)
	// The filters Tencent's Terraform provider reads a key back with: its id, or its name.
	key := first.ApiKeySet[7]
	for f, most := range map[*filter]int64{
		{Name: filterAccessKeyID, Values: []string{key.AccessKeyID}}: 1, // the key, once
		{Name: filterSecretName, Values: []string{key.SecretName}}:   2, // its entry, then the key
	} {
		s, r := call(nil, 0, *f)
		if len(s.ApiKeySet) != 1 || s.ApiKeySet[0].AccessKeyID != key.AccessKeyID || r.Records > most {
			t.Errorf("filter %v: %d keys, read %d records; want the one key, reading at most %d", *f, len(s.ApiKeySet), r.Records, most)
		}
	}
	deny := statements(policy.Statement{Effect: policy.Allow, Actions: listAction, Resources: []string{"*"}},
		policy.Statement{Effect: policy.Deny, Actions: listAction, Resources: []string{first.ApiKeySet[0].AccessKeyID}})
	s, r := call(deny, 0)
	if r.Records < 2000 || s.TotalCount != 1999 || s.ApiKeySet[0].AccessKeyID == first.ApiKeySet[0].AccessKeyID {
		t.Errorf("a policy that hides one: read %d records, total %d: want the 2000 entries read and the key hidden", r.Records, s.TotalCount)
	}
}
