package kmsecret_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/motoserver"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
	"keyport/shared/store/dynamostore/dynamotest"
	"keyport/shared/store/memstore"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.Stop()
	os.Exit(code)
}

// TestLocator: a secret has a locator exactly while its ACL lists users, written and removed
// in the ACL's own transactions and with the secret's delete, on every store driver through
// the store contract; Shared finds a secret only for a user its ACL lists; and a secret whose
// ACL listed users before locators existed gets one at its next ACL write.
func TestLocator(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) store.Store{
		"memstore": func(*testing.T) store.Store { return memstore.New() },
		"boltstore": func(t *testing.T) store.Store {
			s, err := boltstore.Open(filepath.Join(t.TempDir(), "keyport.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		},
		"dynamostore": func(t *testing.T) store.Store { return dynamotest.Open(t) },
	} {
		t.Run(name, func(t *testing.T) { testLocator(t, open(t)) })
	}
}

func testLocator(t *testing.T, s store.Store) {
	ctx := context.Background()
	const id, project, user = "6f1c2b9e-0d4a-4c1e-9b7a-3e5d2f1a0c4b", "owner-project", "reader-of-another-project"
	expires := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	put := store.Record{Ref: kmsecret.Ref(project, id), Attrs: store.Attrs{"name": "shared"}, ExpiresAt: expires}
	if err := s.Apply(ctx, store.Tx{{Put: &store.Put{Record: put}}}); err != nil {
		t.Fatal(err)
	}
	current := func() store.Record {
		t.Helper()
		rec, err := s.Get(ctx, kmsecret.Ref(project, id))
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	located := func(want bool) {
		t.Helper()
		loc, err := s.Get(ctx, kmsecret.LocatorRef(id))
		switch {
		case want && err != nil:
			t.Fatalf("locator: %v, want it", err)
		case want && (loc.Attrs.String("project") != project || !loc.ExpiresAt.Equal(current().ExpiresAt)):
			t.Errorf("locator: got %v %v, want the project and the secret's expiry %v", loc.Attrs, loc.ExpiresAt, current().ExpiresAt)
		case !want && !errors.Is(err, store.ErrNotFound):
			t.Fatalf("locator: got %+v, %v; want none", loc, err)
		}
	}
	shared := func(who string, want bool) {
		t.Helper()
		rec, err := kmsecret.Shared(ctx, s, id, who)
		if want && (err != nil || rec.ID != id || rec.Tenant != project) {
			t.Errorf("Shared(%q): got %+v, %v; want the secret", who, rec, err)
		}
		if !want && fault.KindOf(err) != fault.NotFound {
			t.Errorf("Shared(%q): got %+v, %v; want the unknown secret's 404", who, rec, err)
		}
	}
	set := func(users []string, replace bool) {
		t.Helper()
		if err := kmsecret.SetACL(ctx, s, current(), time.Now(), kmsecret.ACLChange{Users: users, UsersGiven: users != nil}, replace); err != nil {
			t.Fatal(err)
		}
	}
	located(false)
	set([]string{user}, true)
	located(true)
	shared(user, true)
	shared("someone else", false)
	shared("", false)
	set([]string{"a", user}, false) // a change that keeps users keeps the one locator
	located(true)
	set([]string{}, false)
	located(false)
	shared(user, false)
	set([]string{user}, true)
	if err := kmsecret.DeleteACL(ctx, s, current(), time.Now()); err != nil {
		t.Fatal(err)
	}
	located(false)
	// Listed before locators existed: the users are there, the locator is not.
	set([]string{user}, true)
	rec := current()
	if err := s.Apply(ctx, store.Tx{{Update: &store.Update{Ref: rec.Ref, IfVersion: rec.Version, Set: store.Attrs{"acl_locator": nil}}},
		{Delete: &store.Delete{Ref: kmsecret.LocatorRef(id)}}}); err != nil {
		t.Fatal(err)
	}
	shared(user, false)
	set(nil, false) // any ACL write: here a PATCH that changes nothing
	located(true)
	shared(user, true)
	if err := s.Apply(ctx, kmsecret.Deletion(current())); err != nil {
		t.Fatal(err)
	}
	located(false)
	shared(user, false)
}
