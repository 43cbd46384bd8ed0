package dynamostore_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/dynamostore"
	"keyport/shared/store/dynamostore/dynamotest"
)

// The secrets of these tests and benchmarks look like a K5 or Barbican secret: a uuid, a few
// attributes, a sealed value of about the size of a sealed 32-byte key.
const (
	costService = "cost-service"
	costKind    = "secret"
)

var _ = store.DeclareIndex(costService, costKind)

var costBase = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func costSecret(tenant string, i int) store.Record {
	return store.Record{
		Ref: store.Ref{Service: costService, Tenant: tenant, Kind: costKind, ID: fmt.Sprintf("%08x-4c1e-4a7b-9f00-%012x", (i*2654435761)%(1<<32), i)},
		Attrs: store.Attrs{"Name": fmt.Sprintf("secret-%d", i), "Status": "ACTIVE", "SecretType": "opaque",
			"Algorithm": "aes", "BitLength": int64(256), "ContentTypes": []string{"application/octet-stream"}},
		Sealed:    []byte(strings.Repeat("s", 230)),
		CreatedAt: costBase.Add(time.Duration(i) * time.Millisecond),
	}
}

// seed writes what Apply would write for one create per record (dynamostore.SeedItems) with
// BatchWriteItem, 25 items a call.
func seed(tb testing.TB, c *dynamodb.Client, s *dynamostore.Store, table string, recs []store.Record, now time.Time) {
	tb.Helper()
	items, err := dynamostore.SeedItems(s, recs, now)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	for lo := 0; lo < len(items); lo += 25 {
		var reqs []types.WriteRequest
		for _, it := range items[lo:min(lo+25, len(items))] {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
		}
		in := map[string][]types.WriteRequest{table: reqs}
		for len(in) > 0 {
			out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: in})
			if err != nil {
				tb.Fatalf("BatchWriteItem: %v", err)
			}
			in = out.UnprocessedItems
		}
	}
}

func scanAll(t *testing.T, c *dynamodb.Client, table string) []map[string]types.AttributeValue {
	t.Helper()
	var items []map[string]types.AttributeValue
	for p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)}); p.HasMorePages(); {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, out.Items...)
	}
	return items
}

// render is an item in a canonical text form, for comparing tables.
func render(item map[string]types.AttributeValue) string {
	var parts []string
	for k, v := range item {
		parts = append(parts, k+"="+renderValue(v))
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, " ") + "}"
}

func renderValue(v types.AttributeValue) string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return "S:" + strconv.Quote(v.Value)
	case *types.AttributeValueMemberN:
		return "N:" + v.Value
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("B:%x", v.Value)
	case *types.AttributeValueMemberBOOL:
		return fmt.Sprint("BOOL:", v.Value)
	case *types.AttributeValueMemberL:
		var l []string
		for _, e := range v.Value {
			l = append(l, renderValue(e))
		}
		return "[" + strings.Join(l, " ") + "]"
	case *types.AttributeValueMemberM:
		return render(v.Value)
	}
	return fmt.Sprintf("%T", v)
}

// TestSeedMatchesApply checks that the seeding helper writes exactly what Apply writes, index
// keys and tallies included, so the cost figures measured on seeded tables hold for Apply's.
func TestSeedMatchesApply(t *testing.T) {
	c := dynamotest.Client(t)
	now := time.Now().Truncate(time.Millisecond)
	var recs []store.Record
	for i := range 12 {
		r := costSecret("t", i)
		switch i % 3 {
		case 1:
			r.ExpiresAt = now.Add(time.Duration(i) * 20 * time.Hour)
		case 2:
			r.Ref.ID = "region-" + strconv.Itoa(i%2) + "/" + r.ID
			r.Claims = []store.Ref{{Service: costService, Tenant: "t", Kind: "name", ID: r.Attrs.String("Name")}}
		}
		recs = append(recs, r)
	}
	applied, seeded := dynamotest.FreshTable(t, c), dynamotest.FreshTable(t, c)
	s := dynamostore.New(c, applied)
	dynamostore.SetNow(s, func() time.Time { return now })
	for _, r := range recs {
		if err := s.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: r}}}); err != nil {
			t.Fatal(err)
		}
	}
	seed(t, c, dynamostore.New(c, seeded), seeded, recs, now)
	var a, b []string
	for _, it := range scanAll(t, c, applied) {
		a = append(a, render(it))
	}
	for _, it := range scanAll(t, c, seeded) {
		b = append(b, render(it))
	}
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Errorf("Apply wrote\n%s\nseeding wrote\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

// metered is a store on a fresh table whose reads are metered, and the client to seed it.
func metered(t testing.TB) (*dynamostore.Store, *dynamotest.Meter, *dynamodb.Client, string) {
	c := dynamotest.Client(t)
	table := dynamotest.FreshTable(t, c)
	m := &dynamotest.Meter{DB: c}
	return dynamostore.New(m, table), m, c, table
}

func costQuery(tenant string, offset int) store.Query {
	return store.Query{Service: costService, Tenant: tenant, Kind: costKind, Order: store.Newest, Offset: offset, Limit: 100}
}

// TestPageCostIsLimit checks that a page reads what its limit (and offset) say, not what the
// tenant holds: a Newest page of 100 reads 101 index entries and 100 records in a tenant of
// 200 and in one of 1,000 alike, an offset skips entries (never records), and Count reads only
// tally items.
func TestPageCostIsLimit(t *testing.T) {
	s, m, c, table := metered(t)
	now := time.Now()
	var recs []store.Record
	sizes := map[string]int{"small": 200, "large": 1000}
	for tenant, n := range sizes {
		for i := range n {
			recs = append(recs, costSecret(tenant, i))
		}
	}
	t0 := time.Now()
	seed(t, c, s, table, recs, now)
	t.Logf("seeded %d secrets in %v", len(recs), time.Since(t0))
	ctx := context.Background()
	if _, err := s.List(ctx, costQuery("small", 0)); err != nil { // loads the cursor key
		t.Fatal(err)
	}
	page := func(q store.Query) (store.Page, dynamotest.Usage) {
		t.Helper()
		m.Start()
		p, err := s.List(ctx, q)
		u := m.Stop()
		if err != nil {
			t.Fatal(err)
		}
		return p, u
	}
	var first [2]dynamotest.Usage
	for i, tenant := range []string{"small", "large"} {
		p, u := page(costQuery(tenant, 0))
		n := sizes[tenant]
		if len(p.Records) != 100 || p.Records[0].ID != costSecret(tenant, n-1).ID || p.Records[0].Sealed == nil || p.Next == "" {
			t.Fatalf("%s: first Newest page: %d records from %s", tenant, len(p.Records), p.Records[0].ID)
		}
		// One Query (101 entries) and one BatchGetItem (100 records), whatever the tenant holds.
		if u.Items != 201 || u.Sealed != 100 || u.Calls != 2 {
			t.Errorf("%s: a page of 100 read %+v, want 201 items (100 records) in 2 calls", tenant, u)
		}
		first[i] = u
	}
	if a, b := first[0], first[1]; a.Items != b.Items || a.Sealed != b.Sealed || b.ReadUnits > 2*a.ReadUnits {
		t.Errorf("a page costs %+v in a tenant of 200 and %+v in one of 1,000", first[0], first[1])
	}
	// Entries only: the index alone, no record read.
	q := costQuery("large", 0)
	q.Entries = true
	if p, u := page(q); len(p.Records) != 100 || p.Records[0].Sealed != nil || u.Items != 101 || u.Sealed != 0 || u.Calls != 1 {
		t.Errorf("a page of entries read %+v (sealed %v), want 101 entries, no record, in 1 call", u, p.Records[0].Sealed != nil)
	}
	// A deep offset reads the entries it skips, then the page.
	p, u := page(costQuery("large", 400))
	if len(p.Records) != 100 || p.Records[0].ID != costSecret("large", 599).ID || p.Next == "" {
		t.Fatalf("offset 400: %d records from %s", len(p.Records), p.Records[0].ID)
	}
	if u.Items != 400+201 || u.Sealed != 100 {
		t.Errorf("offset 400: read %+v, want 400 skipped entries and one page (201 items, 100 records)", u)
	}
	m.Start()
	n, err := s.Count(ctx, costQuery("large", 0))
	u = m.Stop()
	if err != nil || n != 1000 {
		t.Fatalf("Count: %d, %v; want 1000", n, err)
	}
	// The tally shards of the Never day, and today's expiry entries (none).
	if u.Items > 4 || u.Sealed != 0 || u.ReadUnits > 2 {
		t.Errorf("Count read %+v; want at most the 4 tally shards", u)
	}
	attrPageCost(t, page)
}

// TestCreateTableRefusesOldLayout: a table made before the indexes is refused at start, by the
// name of the index it lacks, and so is a list on it.
func TestCreateTableRefusesOldLayout(t *testing.T) {
	c := dynamotest.Client(t)
	name := "keyport-old-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	_, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = dynamostore.CreateTable(context.Background(), c, name)
	if err == nil || !strings.Contains(err.Error(), "by_created") {
		t.Errorf("CreateTable on a table without the indexes: got %v, want an error naming by_created", err)
	}
	// A deployment that skipped CreateTable learns it at its first list, just as clearly.
	_, err = dynamostore.New(c, name).List(context.Background(), costQuery("t", 0))
	if err == nil || !strings.Contains(err.Error(), "by_created") || !strings.Contains(err.Error(), "docs/deploy.md") {
		t.Errorf("List on a table without the indexes: got %v, want an error naming by_created and the doc", err)
	}
}

// BenchmarkPages measures, on DynamoDB (moto), a Newest page of 100 records at offset 0 and at
// 90% of the tenant, and Count, in tenants of 1,000, 10,000 and 100,000 secrets (each in a
// table of its own: moto reads a whole table per Query, DynamoDB one partition): latency p50
// and p99, and per call the items and bytes read and the read units (dynamotest.Meter: by
// DynamoDB's rule, since moto does not report them). KEYPORT_BENCH_PAGES_MAX lowers the top
// size (the 100,000 tenant takes minutes to seed and to page through moto).
func BenchmarkPages(b *testing.B) {
	sizes := []int{1000, 10000, 100000}
	if v, err := strconv.Atoi(os.Getenv("KEYPORT_BENCH_PAGES_MAX")); err == nil {
		sizes = slices.DeleteFunc(sizes, func(n int) bool { return n > v })
	}
	type row struct {
		size     int
		what     string
		p50, p99 time.Duration
		usage    dynamotest.Usage
	}
	var rows []row
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s, m, c, table := metered(b)
			recs := make([]store.Record, n)
			for i := range recs {
				recs[i] = costSecret("bench", i)
			}
			t0 := time.Now()
			seed(b, c, s, table, recs, time.Now())
			b.Logf("seeded %d secrets in %v", n, time.Since(t0).Round(time.Millisecond))
			ctx := context.Background()
			samples, deep := 20, 5 // fewer where moto takes seconds a call
			if n >= 100000 {
				samples, deep = 10, 2
			}
			cases := []struct {
				what    string
				samples int
				call    func() error
			}{
				{"page, offset 0", samples, func() error { _, err := s.List(ctx, costQuery("bench", 0)); return err }},
				{"page, offset 90%", deep, func() error { _, err := s.List(ctx, costQuery("bench", n*9/10)); return err }},
				{"count", samples, func() error { _, err := s.Count(ctx, costQuery("bench", 0)); return err }},
			}
			for range b.N {
				for _, cs := range cases {
					lat := make([]time.Duration, cs.samples)
					for i := range lat {
						t := time.Now()
						if err := cs.call(); err != nil {
							b.Fatal(err)
						}
						lat[i] = time.Since(t)
					}
					m.Start()
					if err := cs.call(); err != nil {
						b.Fatal(err)
					}
					u := m.Stop()
					slices.Sort(lat)
					rows = append(rows, row{size: n, what: cs.what, p50: lat[len(lat)/2], p99: lat[(len(lat)*99)/100], usage: u})
				}
			}
		})
	}
	fmt.Printf("\nDynamoDB (moto 5.2.1), Newest pages of 100, latency through moto (which reads the whole table per Query)\n")
	fmt.Printf("%-8s %-17s %9s %9s %7s %9s %10s %6s\n", "secrets", "call", "p50", "p99", "items", "bytes", "read units", "calls")
	for _, r := range rows {
		fmt.Printf("%-8d %-17s %9v %9v %7d %9d %10.0f %6d\n", r.size, r.what, r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond),
			r.usage.Items, r.usage.Bytes, r.usage.ReadUnits, r.usage.Calls)
	}
}
