package dynamostore_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/dynamostore"
	"keyport/shared/store/dynamostore/dynamotest"
)

// The cost secrets are indexed by name too, as the key manager's are.
var _ = store.DeclareAttrIndex(costService, costKind, "Name")

func attrQuery(tenant, prefix string, limit int) store.Query {
	return store.Query{Service: costService, Tenant: tenant, Kind: costKind, Order: store.ByAttr, AttrPrefix: prefix, Limit: limit}
}

func names(recs []store.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Attrs.String("Name")
	}
	return out
}

// attrPageCost checks, on TestPageCostIsLimit's tenants (200 and 1,000 secrets), that a page
// of the attribute index reads the entries that match (one Query) and their records (one
// BatchGetItem), however many records the tenant holds: a prefix that 11 names of 1,000 begin
// with reads 11 entries and 11 records; the same in the tenant of 200, where one name matches,
// one of each; a prefix nothing begins with, nothing; an empty prefix, a page.
func attrPageCost(t *testing.T, page func(store.Query) (store.Page, dynamotest.Usage)) {
	t.Helper()
	tests := []struct {
		tenant, prefix string
		entries        bool
		want           []string
		usage          dynamotest.Usage // Calls, Items and Sealed
	}{
		{"large", "secret-42", false, []string{"secret-42", "secret-420", "secret-421", "secret-422", "secret-423", "secret-424",
			"secret-425", "secret-426", "secret-427", "secret-428", "secret-429"}, dynamotest.Usage{Calls: 2, Items: 22, Sealed: 11}},
		{"small", "secret-42", false, []string{"secret-42"}, dynamotest.Usage{Calls: 2, Items: 2, Sealed: 1}},
		{"large", "secret-42", true, nil, dynamotest.Usage{Calls: 1, Items: 11}},
		{"large", "nobody", false, nil, dynamotest.Usage{Calls: 1}},
	}
	for _, tt := range tests {
		q := attrQuery(tt.tenant, tt.prefix, 100)
		q.Entries = tt.entries
		p, u := page(q)
		if tt.want != nil && !slices.Equal(names(p.Records), tt.want) || p.Next != "" {
			t.Errorf("%s %q: got %v (next %q), want %v", tt.tenant, tt.prefix, names(p.Records), p.Next, tt.want)
		}
		if u.Calls != tt.usage.Calls || u.Items != tt.usage.Items || u.Sealed != tt.usage.Sealed {
			t.Errorf("%s %q (entries %v): read %+v, want %d items (%d records) in %d calls", tt.tenant, tt.prefix, tt.entries, u,
				tt.usage.Items, tt.usage.Sealed, tt.usage.Calls)
		}
	}
	// Every name matches "": a page of 100 reads 101 entries and 100 records.
	p, u := page(attrQuery("large", "", 100))
	if len(p.Records) != 100 || p.Records[0].Attrs.String("Name") != "secret-0" || p.Next == "" {
		t.Errorf("first page: %d records from %q, next %q", len(p.Records), names(p.Records[:1]), p.Next)
	}
	if u.Calls != 2 || u.Items != 201 || u.Sealed != 100 {
		t.Errorf("a page of 100 read %+v, want 201 items (100 records) in 2 calls", u)
	}
}

// TestAttrLongValues checks values whose index key DynamoDB could not hold whole (a sort key is
// at most 1024 bytes): Barbican names of 255 four-byte characters. Every key stays within the
// limit and valid UTF-8; values that differ within the kept bytes keep their order, values that
// agree on all of them come by id (as equal values do); a prefix selects exactly the values
// that begin with it, on every page, also one longer than the kept bytes. (moto does not
// enforce the limit on a local index's key, so the test reads the keys.)
func TestAttrLongValues(t *testing.T) {
	c := dynamotest.Client(t)
	table := dynamotest.FreshTable(t, c)
	s := dynamostore.New(c, table)
	ctx := context.Background()
	// The group key "secret##" leaves 1016 bytes: 338 euro signs (the cut falls inside the
	// 339th), or 254 emoji exactly.
	long := strings.Repeat("€", 400)
	short := strings.Repeat("€", 300)
	emoji := strings.Repeat("😀", 255)
	other := emoji[:1016] + "😃" // above emoji by value, sharing its kept bytes
	// In id order (v00, v01, ...), which is the order of values with one key.
	values := []string{long + "b", long + "a", long, long + "c" + long, short, other, emoji, "plain"}
	for i, v := range values {
		r := costSecret("t", i)
		r.ID = fmt.Sprintf("v%02d", i)
		r.Attrs["Name"] = v
		if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: r}}}); err != nil {
			t.Fatalf("create %d (%d bytes): %v", i, len(v), err)
		}
	}
	for _, it := range scanAll(t, c, table) {
		if la, ok := it["la"].(*types.AttributeValueMemberS); ok && (len(la.Value) > 1024 || !utf8.ValidString(la.Value)) {
			t.Errorf("index key of %d bytes (valid UTF-8: %v)", len(la.Value), utf8.ValidString(la.Value))
		}
	}
	longs := []string{long + "b", long + "a", long, long + "c" + long}
	for _, tt := range []struct {
		prefix string
		want   []string
	}{
		{"", append(append([]string{"plain", short}, longs...), other, emoji)},
		{short, append([]string{short}, longs...)},
		{long, longs},
		{long + "a", []string{long + "a"}},
		{long + "c", []string{long + "c" + long}},
		{emoji[:1016], []string{other, emoji}},
		{emoji, []string{emoji}},
		{other, []string{other}},
	} {
		q := attrQuery("t", tt.prefix, 1)
		var got []string
		for {
			p, err := s.List(ctx, q)
			if err != nil {
				t.Fatalf("prefix of %d bytes: %v", len(tt.prefix), err)
			}
			got = append(got, names(p.Records)...)
			if p.Next == "" {
				break
			}
			q.Cursor = p.Next
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("prefix of %d bytes: got values of %v bytes, want %v", len(tt.prefix), lengths(got), lengths(tt.want))
		}
	}
	// An exact value among values cut to the same key is the value alone.
	for _, v := range []string{long, long + "a", other, emoji, short} {
		q := attrQuery("t", v, 10)
		q.AttrExact = true
		p, err := s.List(ctx, q)
		if got := names(p.Records); err != nil || !slices.Equal(got, []string{v}) {
			t.Errorf("exact value of %d bytes: %v, got values of %v bytes", len(v), err, lengths(got))
		}
	}
}

func lengths(vs []string) []int {
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = len(v)
	}
	return out
}

// TestAttrUpdateMovesEntry checks that an Update of the indexed attribute moves the record's
// entry in the same transaction, with no read: renamed, it is found by its new name only;
// retyped or removed, by none.
func TestAttrUpdateMovesEntry(t *testing.T) {
	s := dynamotest.Open(t)
	ctx := context.Background()
	r := costSecret("t", 1)
	if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: r}}}); err != nil {
		t.Fatal(err)
	}
	found := func(prefix string) int {
		t.Helper()
		p, err := s.List(ctx, attrQuery("t", prefix, 10))
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Records)
	}
	for _, step := range []struct {
		set       any
		old, want string // a name no longer found, and one found ("" for none)
	}{
		{"renamed", "secret-1", "renamed"},
		{int64(7), "renamed", ""},
		{"back", "", "back"},
		{nil, "back", ""},
	} {
		if err := s.Apply(ctx, store.Tx{{Update: &store.Update{Ref: r.Ref, Set: store.Attrs{"Name": step.set}}}}); err != nil {
			t.Fatal(err)
		}
		if step.old != "" && found(step.old) != 0 {
			t.Errorf("after setting %v: still found by %q", step.set, step.old)
		}
		if step.want != "" && found(step.want) != 1 {
			t.Errorf("after setting %v: not found by %q", step.set, step.want)
		}
		if step.want == "" && found("") != 0 {
			t.Errorf("after setting %v: still in the index", step.set)
		}
	}
}

// TestCreateTableRefusesTableWithoutByAttr: a table made with the first two indexes only is
// refused at start by the name of the one it lacks, and so is a list of the attribute index.
func TestCreateTableRefusesTableWithoutByAttr(t *testing.T) {
	c := dynamotest.Client(t)
	name := "keyport-two-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	s := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	lsi := func(name, sk string, p *types.Projection) types.LocalSecondaryIndex {
		return types.LocalSecondaryIndex{IndexName: aws.String(name), Projection: p, KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String(sk), KeyType: types.KeyTypeRange}}}
	}
	_, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{s("pk"), s("sk"), s("lc"), s("le")},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{
			lsi("by_created", "lc", &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: dynamostore.CreatedProjection()}),
			lsi("by_expiry", "le", &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = dynamostore.CreateTable(context.Background(), c, name)
	if err == nil || !strings.Contains(err.Error(), "by_attr") {
		t.Errorf("CreateTable on a table without by_attr: got %v, want an error naming by_attr", err)
	}
	_, err = dynamostore.New(c, name).List(context.Background(), attrQuery("t", "x", 0))
	if err == nil || !strings.Contains(err.Error(), "by_attr") || !strings.Contains(err.Error(), "docs/deploy.md") {
		t.Errorf("List ByAttr on a table without by_attr: got %v, want an error naming by_attr and the doc", err)
	}
}
