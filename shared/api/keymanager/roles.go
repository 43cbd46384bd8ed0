package keymanager

import (
	"slices"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/credentials"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// Barbican's default policy (secure RBAC) as keyport applies it to a Keystone token: one
// built-in policy per role, decided with the credential's own policies in the same
// policy.AuthorizeOn call, so roles, a private secret's ACL and the credential's statements
// make one decision with one refusal and one denied audit event (docs/policies.md, "Roles and
// ACLs"; docs/wire/identity.md, "Roles"; docs/wire/keymanager.md, "ACLs" and "Reads from
// another project"). A static K5 token names a project, no user and no roles: it has none
// of these and keeps its project's reach.
//
// The facts are about the secret the request names (secretTarget):
const (
	// ownProject: the secret is of the token's project (a read through the ACL may find one of
	// another project).
	ownProject policy.Fact = "secret:own-project"
	// open: the secret's ACL leaves reading to its project (project-access not false).
	open policy.Fact = "secret:project-access"
	// creator: the token's user created the secret.
	creator policy.Fact = "secret:creator"
	// listed: the secret's read ACL lists the token's user.
	listed policy.Fact = "secret:acl-lists-caller"
)

// both is each operation's action in the two layouts.
func both(ops ...string) []string {
	var actions []string
	for _, op := range ops {
		actions = append(actions, "k5:"+op, "barbican:"+op)
	}
	return actions
}

var (
	everything = []string{"k5:*", "barbican:*"}
	anySecret  = []string{policy.Any}
	// unbound are the actions on no existing secret: the create and the list.
	unbound = both("CreateSecret", "ListSecrets")
	// aclReads are the reads Barbican's secret_acl_read rule opens to the users a secret's
	// read ACL lists, whatever their roles and project (secret:get, secret:decrypt,
	// secret_meta:get); they alone look for the secret in other projects too (find).
	aclReads = both("GetSecret", "GetSecretPayload", "GetSecretMetadata", "GetSecretMetadatum")
	// readsByACL are every read of a secret, its ACL's included: a private secret's listed
	// users (members of its project) may do them.
	readsByACL = both("GetSecret*")
)

const (
	rolesReason = "the token's roles do not allow this"
	aclReason   = "the secret's ACL does not list this user"
)

// The built-in policies, by the token's highest role (Keystone implies admin → member →
// reader).
var (
	// adminRoles: every call on the project's secrets, private ones included.
	adminRoles = &policy.Policy{Field: "X-Auth-Token", Reason: rolesReason, Statements: []policy.Statement{
		{Effect: policy.Allow, Actions: unbound, Resources: anySecret},
		{Effect: policy.Allow, Actions: everything, Resources: anySecret, When: []policy.Fact{ownProject}},
		{Effect: policy.Allow, Actions: aclReads, Resources: anySecret, When: []policy.Fact{listed}},
	}}
	// memberRoles: every call on the project's secrets but a private one's, which only its
	// creator reaches, and (to read) the users its ACL lists.
	memberRoles = &policy.Policy{Field: "acl", Reason: aclReason, Statements: []policy.Statement{
		{Effect: policy.Allow, Actions: unbound, Resources: anySecret},
		{Effect: policy.Allow, Actions: everything, Resources: anySecret, When: []policy.Fact{ownProject, open}},
		{Effect: policy.Allow, Actions: everything, Resources: anySecret, When: []policy.Fact{ownProject, creator}},
		{Effect: policy.Allow, Actions: readsByACL, Resources: anySecret, When: []policy.Fact{ownProject, listed}},
		{Effect: policy.Allow, Actions: aclReads, Resources: anySecret, When: []policy.Fact{listed}},
	}}
	// readerRoles (a reader, or a token without member or admin): only what a secret's read
	// ACL opens to the users it lists.
	readerRoles = &policy.Policy{Field: "X-Auth-Token", Reason: rolesReason, Statements: []policy.Statement{
		{Effect: policy.Allow, Actions: aclReads, Resources: anySecret, When: []policy.Fact{listed}},
	}}
)

// rolesOf is the built-in policy of a Keystone grant's roles.
func rolesOf(g credentials.Grant) *policy.Policy {
	switch {
	case g.Has("admin"):
		return adminRoles
	case g.Has("member"):
		return memberRoles
	}
	return readerRoles
}

// openedByACL reports whether action is one a secret's read ACL opens to the users it lists,
// so its secret is looked for in other projects too.
func openedByACL(action string) bool { return slices.Contains(aclReads, action) }

// secretTarget is the secret a request names, as the facts of the built-in policies see it:
// found on first use (find), so a request the policies refuse without it reads nothing.
type secretTarget struct {
	project, user string // the caller's
	find          func() (store.Record, error)
	rec           store.Record
	err           error
	found         bool
}

// record returns the secret, finding it the first time.
func (t *secretTarget) record() (store.Record, error) {
	if !t.found {
		t.rec, t.err = t.find()
		t.found = true
	}
	return t.rec, t.err
}

// Holds reports whether the secret has fact f for the caller; the secret's lookup error (its
// 404, a store failure) is returned as it is.
func (t *secretTarget) Holds(f policy.Fact) (bool, error) {
	rec, err := t.record()
	if err != nil {
		return false, err
	}
	switch f {
	case ownProject:
		return rec.Tenant == t.project, nil
	case open:
		return !kmsecret.Private(rec), nil
	case creator:
		return kmsecret.CreatedBy(rec, t.user), nil
	case listed:
		return kmsecret.Listed(rec, t.user), nil
	}
	return false, nil
}

// found is a target already read: a list's item, or a secret read again.
func found(rec store.Record, project, user string) *secretTarget {
	return &secretTarget{project: project, user: user, rec: rec, found: true}
}
