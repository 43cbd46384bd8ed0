package keymanager

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// secretState is a secret as the built-in policies' facts see it, for one caller.
type secretState struct {
	own, private, creator, listed bool
}

func (s secretState) String() string {
	return fmt.Sprintf("own=%v private=%v creator=%v listed=%v", s.own, s.private, s.creator, s.listed)
}

// record is a secret in state s for the caller user of project "p".
func (s secretState) record(user string) store.Record {
	rec := store.Record{Ref: kmsecret.Ref("p", liveID), Attrs: store.Attrs{"creator_id": "someone"}}
	if !s.own {
		rec.Ref = kmsecret.Ref("q", liveID)
	}
	if s.private {
		rec.Attrs["acl_read_project_access"] = false
	}
	if s.creator {
		rec.Attrs["creator_id"] = user
	}
	if s.listed {
		rec.Attrs["acl_read_users"] = []string{"x", user}
	}
	return rec
}

// barbicanDefault is Barbican's default policy as keyport applied it before roles and ACLs
// joined the policy decision (a reader refused all but the reads an ACL opens, before any
// lookup; a reader's read only when listed; a private secret reached by the admin, its
// creator, and for the reads its listed users; another project's secret found only when
// listed, and only for the ACL's reads): the oracle the built-in policies must agree with.
func barbicanDefault(op, role string, s *secretState) bool {
	aclRead := slices.Contains([]string{"GetSecret", "GetSecretPayload", "GetSecretMetadata", "GetSecretMetadatum"}, op)
	member := role != "reader"
	switch {
	case !member && !aclRead:
		return false
	case s == nil: // CreateSecret, ListSecrets
		return true
	case !s.own:
		return aclRead && s.listed
	case !member && !s.listed:
		return false
	}
	read := strings.HasPrefix(op, "GetSecret")
	return role == "admin" || !s.private || s.creator || (read && s.listed)
}

// TestRolesDecideAsBarbicansDefaultPolicy: for every key manager action, role and secret
// state, the one decision with the roles' built-in policy allows exactly what Barbican's
// default policy did, refuses with the role's message, and asks for the secret only when the
// roles need it.
func TestRolesDecideAsBarbicansDefaultPolicy(t *testing.T) {
	roles := map[string]*policy.Policy{"admin": adminRoles, "member": memberRoles, "reader": readerRoles}
	var states []*secretState
	for i := range 16 {
		states = append(states, &secretState{own: i&1 == 0, private: i&2 != 0, creator: i&4 != 0, listed: i&8 != 0})
	}
	checked := 0
	for _, action := range policy.Actions {
		dialect, op, _ := strings.Cut(action, ":")
		if dialect != "k5" && dialect != "barbican" {
			continue
		}
		unbound := op == "CreateSecret" || op == "ListSecrets"
		for role, p := range roles {
			ctx := policy.WithAction(context.Background(), action)
			for _, s := range states {
				resource, target := liveID, policy.Target(nil)
				lookups := 0
				if unbound {
					s, resource = nil, policy.Any
				} else {
					if !s.own && (!openedByACL(action) || !s.listed) {
						continue // find looks in another project only for these, and finds only listed secrets
					}
					target = &secretTarget{project: "p", user: "u", find: func() (store.Record, error) { lookups++; return s.record("u"), nil }}
				}
				err := policy.AuthorizeOn(ctx, resource, target, p)
				want := barbicanDefault(op, role, s)
				if (err == nil) != want {
					t.Errorf("%s by %s on %v: got %v, want allowed %v", action, role, s, err, want)
				}
				if err != nil {
					f := fault.As(err)
					wantField := map[bool]string{true: "acl", false: "X-Auth-Token"}[role == "member"]
					if f.Kind != fault.Denied || f.Field != wantField {
						t.Errorf("%s by %s: refusal %v (field %q), want Denied naming %s", action, role, err, f.Field, wantField)
					}
				}
				if lookups > 1 || (lookups == 1 && role == "reader" && !openedByACL(action)) {
					t.Errorf("%s by %s: %d lookups", action, role, lookups)
				}
				checked++
				if s == nil {
					break
				}
			}
		}
	}
	if checked < 300 {
		t.Fatalf("only %d cases", checked)
	}
}

// TestRolesNarrowedByTheCredential: a credential's own policy can only take away what the
// roles allow, in the same decision, and a statement that refuses needs no lookup; a lookup's
// error is the request's answer, not a refusal.
func TestRolesNarrowedByTheCredential(t *testing.T) {
	own := &policy.Policy{Statements: []policy.Statement{
		{Effect: policy.Allow, Actions: []string{"*"}, Resources: []string{"*"}},
		{Effect: policy.Deny, Actions: []string{"k5:DeleteSecret"}, Resources: []string{liveID}},
	}}
	lookups := 0
	target := &secretTarget{project: "p", user: "u", find: func() (store.Record, error) {
		lookups++
		return secretState{own: true}.record("u"), nil
	}}
	ctx := policy.WithAction(context.Background(), "k5:DeleteSecret")
	err := policy.AuthorizeOn(ctx, liveID, target, adminRoles, own)
	if f := fault.As(err); err == nil || f.Field != "" || lookups != 0 {
		t.Errorf("the credential's deny under admin roles: %v after %d lookups, want its own refusal before any", err, lookups)
	}
	if err := policy.AuthorizeOn(policy.WithAction(context.Background(), "k5:GetSecret"), liveID, target, memberRoles, own); err != nil || lookups != 1 {
		t.Errorf("allowed by both: %v after %d lookups", err, lookups)
	}
	gone := &secretTarget{project: "p", user: "u", find: func() (store.Record, error) { return store.Record{}, kmsecret.NotFound() }}
	if err := policy.AuthorizeOn(policy.WithAction(context.Background(), "k5:GetSecret"), liveID, gone, readerRoles); fault.KindOf(err) != fault.NotFound {
		t.Errorf("a reader's read of a missing secret: %v, want its 404", err)
	}
	broken := errors.New("store down")
	down := &secretTarget{project: "p", user: "u", find: func() (store.Record, error) { return store.Record{}, broken }}
	if err := policy.AuthorizeOn(policy.WithAction(context.Background(), "k5:GetSecret"), liveID, down, memberRoles); !errors.Is(err, broken) {
		t.Errorf("a failed lookup: %v, want the store's error", err)
	}
}

// TestBuiltinPoliciesCheck: the built-in policies name only real actions, and openedByACL
// (which widens the lookup) names exactly the reads the roles open to listed users.
func TestBuiltinPoliciesCheck(t *testing.T) {
	for name, p := range map[string]*policy.Policy{"admin": adminRoles, "member": memberRoles, "reader": readerRoles} {
		if err := p.Check(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, a := range policy.Actions {
		listedReader := policy.AuthorizeOn(policy.WithAction(context.Background(), a), liveID,
			found(secretState{listed: true}.record("u"), "p", "u"), readerRoles) == nil
		if listedReader != openedByACL(a) {
			t.Errorf("%s: a listed reader of another project allowed %v, openedByACL %v", a, listedReader, openedByACL(a))
		}
	}
}
