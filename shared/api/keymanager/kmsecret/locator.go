package kmsecret

import (
	"context"
	"slices"

	"keyport/shared/store"
)

// A user a secret's read ACL lists may read it with a token of another project, as Barbican's
// default policy allows (docs/wire/keymanager.md, "Reads from another project"). Records are
// keyed by project, so such a secret is found by its id alone through its locator: a record of
// kind "locator" under no tenant, keyed by the secret's id, naming the secret's project, with
// the secret's expiry. A secret has a locator exactly while its ACL lists users: the ACL
// writes that list the first user put it and those that leave none delete it, in the same
// transaction as the ACL change, and the secret's delete deletes it with the secret. The
// secret's own attribute aclLocator says it has one, so no writer needs to read it first.
const (
	LocatorKind    = "locator"
	locatorProject = "project"
	aclLocator     = "acl_locator"
)

// LocatorRef is the ref of secret id's locator.
func LocatorRef(id string) store.Ref { return store.Ref{Service: Service, Kind: LocatorKind, ID: id} }

// locatorFor returns the actions that give rec a locator if listed (its ACL will list users)
// and take it away otherwise, and the value of rec's aclLocator attribute after them (nil
// removes it).
func locatorFor(rec store.Record, listed bool) (store.Tx, any) {
	has := rec.Attrs.Bool(aclLocator)
	switch {
	case listed && !has:
		loc := store.Record{Ref: LocatorRef(rec.ID), Attrs: store.Attrs{locatorProject: rec.Tenant}, ExpiresAt: rec.ExpiresAt}
		return store.Tx{{Put: &store.Put{Record: loc}}}, true
	case listed:
		return nil, true
	case has:
		return store.Tx{{Delete: &store.Delete{Ref: LocatorRef(rec.ID)}}}, nil
	}
	return nil, nil
}

// Deletion is the transaction that deletes rec, at its version, with its locator if it has
// one.
func Deletion(rec store.Record) store.Tx {
	tx := store.Tx{{Delete: &store.Delete{Ref: rec.Ref, IfVersion: rec.Version}}}
	if rec.Attrs.Bool(aclLocator) {
		tx = append(tx, store.Action{Delete: &store.Delete{Ref: LocatorRef(rec.ID)}})
	}
	return tx
}

// Listed reports whether rec's read ACL lists user (a Keystone user id; "" is never listed).
func Listed(rec store.Record, user string) bool {
	return user != "" && slices.Contains(rec.Attrs.List(aclUsers), user)
}

// Shared returns the live secret id of another project that user may read through its ACL,
// found through its locator. Everything else (no locator, the secret gone meanwhile, a secret
// whose ACL does not list user) is the 404 of an unknown secret, so a user not listed learns
// nothing about the id. A store failure is returned as it is.
func Shared(ctx context.Context, s getter, id, user string) (store.Record, error) {
	loc, err := s.Get(ctx, LocatorRef(id))
	if err != nil {
		return store.Record{}, notFoundIfGone(err)
	}
	return SharedIn(ctx, s, loc.Attrs.String(locatorProject), id, user)
}

// SharedIn is Shared for a secret whose project is known (K5's path names it): the 404 of an
// unknown secret unless project's live secret id lists user.
func SharedIn(ctx context.Context, s getter, project, id, user string) (store.Record, error) {
	if project == "" || !ValidID(id) {
		return store.Record{}, NotFound()
	}
	rec, err := Lookup(ctx, s, project, id)
	if err != nil {
		return store.Record{}, err
	}
	if !Listed(rec, user) {
		return store.Record{}, NotFound()
	}
	return rec, nil
}
