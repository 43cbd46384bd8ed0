package keymanager

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/audit"
	"keyport/shared/credentials"
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

// TestReachAndVisibleDecideAsHandle: an operation's second look at its secret (Reach, after a
// conflict) and a list's items (Visible) go through Handle's decision with the caller's roles:
// a member is refused a secret that has turned private, with the denied audit event, and still
// sees a private secret listed, as Barbican's project-wide list shows it; a static token keeps
// its project's reach.
func TestReachAndVisibleDecideAsHandle(t *testing.T) {
	doc := credentials.DevDocument()
	doc.Users = append(doc.Users, credentials.User{ID: "member-user", Name: "member", Domain: credentials.DefaultDomain, Password: doc.Users[0].Password,
		Projects: []credentials.Project{{ID: credentials.DevK5Tenant, Name: credentials.DevProjectName, Domain: credentials.DefaultDomain, Roles: []string{"member"}}}})
	book, err := credentials.FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	member, err := book.SealToken(credentials.Token{User: "member-user", Project: credentials.DevK5Tenant, Methods: []string{"password"}, Issued: now, Expires: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	open := store.Record{Ref: kmsecret.Ref(credentials.DevK5Tenant, liveID), Version: 2, Attrs: store.Attrs{"creator_id": "someone"}}
	private := open
	private.Attrs = store.Attrs{"creator_id": "someone", "acl_read_project_access": false}
	for _, tt := range []struct {
		name, token string
		reach       bool
	}{{"member", member, false}, {"static token", credentials.DevK5Token, true}} {
		var out strings.Builder
		ran := false
		op := Op{Names: SecretDeletion, Secret: true, Do: func(q *Request) (Answer, error) {
			ran = true
			if err := q.Reach(open); err != nil {
				t.Errorf("%s: Reach of an open secret: %v", tt.name, err)
			}
			if err := q.Reach(private); (err == nil) != tt.reach || (err != nil && fault.KindOf(err) != fault.Denied) {
				t.Errorf("%s: Reach of a private secret: %v, want allowed %v", tt.name, err, tt.reach)
			}
			ctx := policy.WithAction(q.Context(), "barbican:ListSecrets")
			if !(&Request{Request: q.WithContext(ctx), Project: q.Project, User: q.User, policies: q.policies}).Visible(private) {
				t.Errorf("%s: a private secret hidden from the list", tt.name)
			}
			return Answer{Status: http.StatusForbidden}, nil
		}}
		mux := http.NewServeMux()
		mux.Handle(Upstream.Pattern("DELETE", "/secrets/{secret_id}"), Handle(Upstream, book, &secrets{}, op))
		r := httptest.NewRequest(http.MethodDelete, "/v1/secrets/"+liveID, nil)
		r.Header.Set("X-Auth-Token", tt.token)
		ctx, rec := audit.Begin(policy.WithAction(r.Context(), "barbican:DeleteSecret"), audit.Event{})
		mux.ServeHTTP(httptest.NewRecorder(), r.WithContext(ctx))
		if !ran {
			t.Fatalf("%s: the operation did not run", tt.name)
		}
		_ = rec.Finish(audit.NewWriter(&out), "Forbidden", 403)
		denied := strings.Contains(out.String(), `"action":"barbican:DeleteSecret"`) && strings.Contains(out.String(), `"outcome":"denied"`) &&
			strings.Contains(out.String(), `"resource":"`+liveID+`"`)
		if denied == tt.reach {
			t.Errorf("%s: event %s, want a denial %v", tt.name, out.String(), !tt.reach)
		}
	}
}
