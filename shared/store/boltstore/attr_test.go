package boltstore

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
)

// TestAttrKeyOrder: attribute index keys sort as their values' bytes do, whatever 0x00, 0x01
// and 0xFF bytes the values hold; a key starts with a prefix's escaped form exactly when its
// value starts with the prefix; and splitAttrKey gives back the value and the place.
func TestAttrKeyOrder(t *testing.T) {
	g := groupKey(store.Ref{Service: "svc", Tenant: "a", Kind: "listed", ID: "r/x"})
	r := rand.New(rand.NewPCG(1, 2))
	value := func() string {
		b := make([]byte, r.IntN(5))
		for i := range b {
			b[i] = "\x00\x01\xffa"[r.IntN(4)]
		}
		return string(b)
	}
	for range 20000 {
		a, b := value(), value()
		ka, kb := attrKey(g, a, 5, "id"), attrKey(g, b, -5, "id")
		if got, want := bytes.Compare(ka, kb), strings.Compare(a, b); a != b && got != want {
			t.Fatalf("values %q, %q: keys compare %d, values %d", a, b, got, want)
		}
		if got, want := bytes.HasPrefix(ka, appendEscaped(bytes.Clone(g), b)), strings.HasPrefix(a, b); got != want {
			t.Fatalf("value %q, prefix %q: key has the prefix %v, value %v", a, b, got, want)
		}
		v, place, err := splitAttrKey(ka[len(g):])
		if err != nil || v != a || !bytes.Equal(place, append(ordered(nil, 5), "id"...)) {
			t.Fatalf("split %q: got %q, %x, %v", a, v, place, err)
		}
	}
	for _, bad := range []string{"", "abc", "a\x00", "a\x00\x02xxxxxxxxx", "a\x00\x01short"} {
		if _, _, err := splitAttrKey([]byte(bad)); err == nil {
			t.Errorf("splitAttrKey(%q): got nil error", bad)
		}
	}
}

// TestAttrReadsOnlyMatches: a ByAttr page reads the keys of its matches and no other. Around
// the matches, among many records that do not match, sit two keys that fail if they are read
// (they point at no creation entry): one just below the prefix, one just past it. Listing the
// prefix, in pages of every size, never meets them; listing everything does.
func TestAttrReadsOnlyMatches(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	ref := func(id string) store.Ref { return store.Ref{Service: "svc", Tenant: "a", Kind: "listed", ID: id} }
	var tx store.Tx
	for i := range 300 {
		name := fmt.Sprintf("%c-%03d", "lnm"[i%3], i) // a third start with "m-"
		tx = append(tx, store.Action{Put: &store.Put{Record: store.Record{Ref: ref(fmt.Sprint(i)), Attrs: store.Attrs{"Name": name}, CreatedAt: time.UnixMilli(int64(i))}}})
	}
	if err := s.Apply(ctx, tx); err != nil {
		t.Fatal(err)
	}
	g := groupKey(ref(""))
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, v := range []string{"m", "m.\xff"} { // "m" < "m-…" < "m.\xff" < "n-…"
			if err := tx.Bucket(attrsBucket).Put(attrKey(g, v, 0, "poison"), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 7, 100, 1000} {
		q := store.Query{Service: "svc", Tenant: "a", Kind: "listed", Order: store.ByAttr, AttrPrefix: "m-", Limit: limit}
		var got []string
		for rec, err := range store.All(ctx, s, q) {
			if err != nil {
				t.Fatalf("limit %d: %v (a key past the matches was read)", limit, err)
			}
			got = append(got, rec.Attrs.String("Name"))
		}
		if len(got) != 100 || !slices.IsSorted(got) || got[0] != "m-002" || got[99] != "m-299" {
			t.Errorf("limit %d: got %d names %q…, want m-002 … m-299", limit, len(got), got[:min(3, len(got))])
		}
	}
	if _, err := s.List(ctx, store.Query{Service: "svc", Tenant: "a", Kind: "listed", Order: store.ByAttr, Limit: 1000}); err == nil {
		t.Error("listing every value: got nil error, want the poisoned keys read")
	}
}

// TestAttrPagingWhileCreating: paging the attribute index while records are created, with
// values before and after every page, lists every record that existed when paging began exactly
// once, in value order.
func TestAttrPagingWhileCreating(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	put := func(id, name string) store.Action {
		return store.Action{Put: &store.Put{Record: store.Record{Ref: store.Ref{Service: "svc", Tenant: "a", Kind: "listed", ID: id}, Attrs: store.Attrs{"Name": name}, CreatedAt: time.Now()}}}
	}
	var tx store.Tx
	var want []string
	for i := range 40 {
		name := fmt.Sprintf("n-%02d", i%20) // each value twice
		tx, want = append(tx, put(fmt.Sprint("old-", i), name)), append(want, name+" old-"+fmt.Sprint(i))
	}
	if err := s.Apply(ctx, tx); err != nil {
		t.Fatal(err)
	}
	q := store.Query{Service: "svc", Tenant: "a", Kind: "listed", Order: store.ByAttr, AttrPrefix: "n-", Limit: 3}
	var got []string
	for i := 0; ; i++ {
		page, err := s.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Records {
			got = append(got, r.Attrs.String("Name")+" "+r.ID)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
		// New records with the smallest, the largest and the page's own last value.
		last := page.Records[len(page.Records)-1].Attrs.String("Name")
		if err := s.Apply(ctx, store.Tx{put(fmt.Sprint("new-a", i), "n-"), put(fmt.Sprint("new-z", i), "n-99"), put(fmt.Sprint("new-m", i), last)}); err != nil {
			t.Fatal(err)
		}
	}
	var old []string
	for _, g := range got {
		if strings.Contains(g, " old-") {
			old = append(old, g)
		}
	}
	slices.Sort(want)
	if !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(strings.Fields(a)[0], strings.Fields(b)[0]) }) {
		t.Errorf("not in value order: %q", got)
	}
	slices.Sort(old)
	if !slices.Equal(old, want) {
		t.Errorf("existing records while creating:\n got %q\nwant %q", old, want)
	}
}
