package apigsecret

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"keyport/shared/api/alibaba"
	"keyport/shared/fault"
	"keyport/shared/store"
)

var idShape = regexp.MustCompile(`^sec-[a-z0-9]{20}$`)

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"sec-d5e6shmm1hkoxxxxxxxx": true, "sec-00000000000000000000": true,
		"sec-D5E6SHMM1HKOXXXXXXXX": false, "sec-d5e6shmm1hkoxxxxxxx": false, "sec-d5e6shmm1hkoxxxxxxxxx": false,
		"key-d5e6shmm1hkoxxxxxxxx": false, "sec-d5e6shmm1hkoxxxxxx/x": false, "": false, "sec-": false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q): got %v, want %v", id, got, want)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	at := time.Now()
	prev := ""
	for i := range 1000 {
		id := NewID(at.Add(time.Duration(i/10) * time.Millisecond))
		if !idShape.MatchString(id) || !ValidID(id) || seen[id] {
			t.Fatalf("got %q (repeat: %v), want a fresh sec- id", id, seen[id])
		}
		if i%10 == 0 && id < prev {
			t.Fatalf("got %q after %q, want ids of a later millisecond to sort after", id, prev)
		}
		seen[id] = true
		prev = id
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"my_secret": true, "A": true, strings.Repeat("a", 64): true,
		"": false, strings.Repeat("a", 65): false, "my-secret": false, "sécret": false, "a/b": false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q): got %v, want %v", name, got, want)
		}
	}
}

func TestValidValue(t *testing.T) {
	for _, tc := range []struct {
		value string
		kind  fault.Kind // Internal: valid
	}{
		{"v", fault.Internal},
		{strings.Repeat("x", MaxValue), fault.Internal},
		{"", fault.Missing},
		{strings.Repeat("x", MaxValue+1), fault.Invalid},
	} {
		err := ValidValue(tc.value)
		if tc.kind == fault.Internal && err != nil || tc.kind != fault.Internal && (fault.KindOf(err) != tc.kind || fault.As(err).Field != "secretData") {
			t.Errorf("ValidValue(%d bytes): got %v, want kind %v naming secretData", len(tc.value), err, tc.kind)
		}
	}
}

func TestNotFound(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{NotFoundID("sec-1"), `The secret "sec-1" does not exist.`},
		{NotFoundName("n"), `No secret named "n" exists.`},
		{NotFoundID("a\x00\xff"), `The secret "a\x00\xff" does not exist.`},
		{NotFoundID(strings.Repeat("x", 200)), `The secret "` + strings.Repeat("x", 128) + `"… does not exist.`},
	} {
		status, code, msg := alibaba.Render(tc.err)
		if status != 404 || code != CodeNotFound || msg != tc.want {
			t.Errorf("got %d %s %q, want 404 %s %q", status, code, msg, CodeNotFound, tc.want)
		}
	}
}

// mapStore is a Get over a map, enough to drive the lookups' branches.
type mapStore map[store.Ref]store.Record

func (m mapStore) Get(_ context.Context, ref store.Ref) (store.Record, error) {
	if rec, ok := m[ref]; ok {
		return rec, nil
	}
	if ref.ID == "fail" || ref.ID == "sec-ffffffffffffffffffff" {
		return store.Record{}, errors.New("dynamodb: throttled on table keyport")
	}
	return store.Record{}, store.ErrNotFound
}

func TestGetByName(t *testing.T) {
	const acct = "1"
	id, stray := "sec-aaaaaaaaaaaaaaaaaaaa", "sec-bbbbbbbbbbbbbbbbbbbb"
	st := mapStore{
		Ref(acct, id):                {Ref: Ref(acct, id), Attrs: store.Attrs{AttrName: "mine"}},
		NameRef(acct, "mine"):        {Attrs: store.Attrs{AttrSecretID: id}},
		NameRef(acct, "dangling"):    {Attrs: store.Attrs{AttrSecretID: "sec-cccccccccccccccccccc"}},
		NameRef(acct, "mismatched"):  {Attrs: store.Attrs{AttrSecretID: stray}},
		Ref(acct, stray):             {Ref: Ref(acct, stray), Attrs: store.Attrs{AttrName: "other"}},
		NameRef(acct, "failing"):     {Attrs: store.Attrs{AttrSecretID: "sec-ffffffffffffffffffff"}},
		NameRef("2", "someone_else"): {Attrs: store.Attrs{AttrSecretID: id}},
	}
	const found = fault.Kind(255) // not a fault: the lookup succeeds
	for _, tc := range []struct {
		name string
		kind fault.Kind
	}{
		{"mine", found},
		{"nobody", fault.NotFound},
		{"someone_else", fault.NotFound}, // another account's name
		{"not-a-name", fault.NotFound},
		{"dangling", fault.NotFound}, // its secret deleted between the two reads
		{"mismatched", fault.Internal},
		{"failing", fault.Internal},
		{"fail", fault.Internal},
	} {
		rec, err := GetByName(context.Background(), st, acct, tc.name)
		switch {
		case tc.kind == found:
			if err != nil || rec.ID != id {
				t.Errorf("%s: got %v, %v; want secret %s", tc.name, rec.ID, err, id)
			}
		case err == nil || fault.KindOf(err) != tc.kind:
			t.Errorf("%s: got %v, want kind %v", tc.name, err, tc.kind)
		case tc.kind == fault.Internal && strings.Contains(fault.As(err).Reason, "dynamodb"):
			t.Errorf("%s: got a client-visible reason %q", tc.name, fault.As(err).Reason)
		}
	}
}

func TestViewOf(t *testing.T) {
	created := time.UnixMilli(1_719_386_834_548)
	rec := store.Record{Ref: Ref("1", "sec-aaaaaaaaaaaaaaaaaaaa"), Version: 1, CreatedAt: created, UpdatedAt: created.Add(time.Second),
		Attrs: store.Attrs{AttrName: "n", AttrStatus: StatusEnabled, AttrGatewayType: "AI", AttrSecretSource: "KMS",
			AttrKMSInstanceID: "kst-1", AttrKMSKeyID: "key-1", AttrDescription: "d"}}
	v := ViewOf(rec)
	if v.CreateTimestamp != 1_719_386_834_548 || v.UpdateTimestamp != v.CreateTimestamp || v.KMSConfig != (KMSConfig{"kst-1", "key-1"}) ||
		v.GatewayType != "AI" || v.SecretSource != "KMS" || v.Description != "d" || v.Status != "ENABLE" || v.ReferenceCount != 0 {
		t.Errorf("got %+v, want the record's fields with equal times for version 1", v)
	}
	rec.Version = 2
	if v := ViewOf(rec); v.UpdateTimestamp != created.Add(time.Second).UnixMilli() {
		t.Errorf("got %+v, want UpdatedAt for an updated secret", v)
	}
	if v := ListItemOf(rec); v.Description != "" {
		t.Errorf("got description %q in a list item, want none", v.Description)
	}
}

// TestViewRendersEveryDocumentedField: gatewayType, secretSource and kmsConfig are on every
// secret APIG describes, so they are always rendered, even for a secret stored before they were
// required (secretSource then takes its default); description alone is left out when empty.
func TestViewRendersEveryDocumentedField(t *testing.T) {
	legacy := store.Record{Ref: Ref("1", "sec-aaaaaaaaaaaaaaaaaaaa"), Version: 1, Attrs: store.Attrs{AttrName: "n", AttrStatus: StatusEnabled}}
	for name, v := range map[string]View{"GetSecret": ViewOf(legacy), "ListSecrets": ListItemOf(legacy)} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"secretId", "name", "secretSource", "kmsConfig", "gatewayType", "createTimestamp", "updateTimestamp", "status", "referenceCount"} {
			if _, ok := got[field]; !ok {
				t.Errorf("%s: got %s, want %s in it", name, b, field)
			}
		}
		if k, _ := got["kmsConfig"].(map[string]any); got["secretSource"] != DefaultSecretSource || k == nil || len(k) != 2 {
			t.Errorf("%s: got %s, want secretSource %s and a kmsConfig object with both ids", name, b, DefaultSecretSource)
		}
		if _, ok := got["description"]; ok {
			t.Errorf("%s: got %s, want no description for a secret without one", name, b)
		}
	}
}

// FuzzPathValues: whatever a path segment holds, the id and name checks never panic, accept only
// what keyport could have issued, and the NotFound answers stay valid, bounded text.
func FuzzPathValues(f *testing.F) {
	for _, s := range []string{"sec-d5e6shmm1hkoxxxxxxxx", "my_secret", "", "a/b", "\xff\xfe", "sec-\x00", strings.Repeat("é", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidID(s) && !idShape.MatchString(s) {
			t.Fatalf("ValidID accepted %q", s)
		}
		if ValidName(s) && (len(s) == 0 || len(s) > MaxName || !utf8.ValidString(s)) {
			t.Fatalf("ValidName accepted %q", s)
		}
		for _, err := range []error{NotFoundID(s), NotFoundName(s)} {
			status, code, msg := alibaba.Render(err)
			if status != 404 || code != CodeNotFound || !utf8.ValidString(msg) || len(msg) > 4*maxQuoted+64 {
				t.Fatalf("got %d %s %q", status, code, msg)
			}
		}
	})
}
