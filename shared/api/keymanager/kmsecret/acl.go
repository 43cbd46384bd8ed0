package kmsecret

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"keyport/shared/fault"
	"keyport/shared/store"
)

// A secret's ACL (Barbican's secret ACLs, the …/acl endpoints; docs/wire/keymanager.md,
// "ACLs") is kept in its record: Barbican's only operation, "read", as whether the project
// may read (absent: yes, Barbican's default) and the users listed, with the ACL's own times.
const (
	aclProjectAccess = "acl_read_project_access"
	aclUsers         = "acl_read_users"
	aclCreated       = "acl_read_created"
	aclUpdated       = "acl_read_updated"
)

// MaxACLUsers caps the users of one ACL, to keep the record inside DynamoDB's item limit
// (Barbican sets no cap).
const MaxACLUsers = 100

// ACLRead is Barbican's "read" ACL as its GET shows it. A secret without an ACL shows only
// {"project-access": true}; times carry no zone (gophercloud parses them without one).
type ACLRead struct {
	ProjectAccess bool     `json:"project-access"`
	Users         []string `json:"users,omitempty"`
	Created       string   `json:"created,omitempty"`
	Updated       string   `json:"updated,omitempty"`
}

// ACLOf is rec's read ACL.
func ACLOf(rec store.Record) ACLRead {
	a := rec.Attrs
	acl := ACLRead{ProjectAccess: true, Created: a.String(aclCreated), Updated: a.String(aclUpdated)}
	if v, ok := a[aclProjectAccess].(bool); ok {
		acl.ProjectAccess = v
	}
	if acl.Created != "" {
		acl.Users = slices.Clone(a.List(aclUsers))
		if acl.Users == nil {
			acl.Users = []string{}
		}
	}
	return acl
}

// ACLChange is a PUT or PATCH body: what it sets (nil: not given).
type ACLChange struct {
	ProjectAccess *bool
	Users         []string
	UsersGiven    bool
}

// DecodeACL reads a PUT or PATCH …/acl body, {"read": {"project-access": bool, "users": [...]}},
// refusing, as Barbican's ACL validator does, any operation but "read", any other member, and
// members of the wrong type.
func DecodeACL(body []byte) (ACLChange, error) {
	doc, err := object(body)
	if err != nil {
		return ACLChange{}, err
	}
	var c ACLChange
	for op, raw := range doc {
		if op != "read" {
			return ACLChange{}, fault.New(fault.Invalid, op, "Additional properties are not allowed ('"+op+"' was unexpected)")
		}
		var read map[string]json.RawMessage
		if json.Unmarshal(raw, &read) != nil || read == nil {
			return ACLChange{}, fault.New(fault.Invalid, "read", "value is not of type 'object'")
		}
		for name, v := range read {
			switch name {
			case "project-access":
				var b *bool
				if json.Unmarshal(v, &b) != nil || b == nil {
					return ACLChange{}, fault.New(fault.Invalid, "project-access", "value is not of type 'boolean'")
				}
				c.ProjectAccess = b
			case "users":
				var users []*string
				if json.Unmarshal(v, &users) != nil || users == nil {
					return ACLChange{}, fault.New(fault.Invalid, "users", "value is not of type 'array'")
				}
				if len(users) > MaxACLUsers {
					return ACLChange{}, fault.Newf(fault.Invalid, "users", "more than %d users", MaxACLUsers)
				}
				c.UsersGiven, c.Users = true, make([]string, 0, len(users))
				for _, u := range users {
					if u == nil || *u == "" || len(*u) > 255 {
						return ACLChange{}, fault.New(fault.Invalid, "users", "each user is a non-empty string of at most 255 characters")
					}
					if !slices.Contains(c.Users, *u) {
						c.Users = append(c.Users, *u)
					}
				}
			default:
				return ACLChange{}, fault.New(fault.Invalid, name, "Additional properties are not allowed ('"+name+"' was unexpected)")
			}
		}
	}
	return c, nil
}

// SetACL writes rec's read ACL: replace (PUT) sets exactly c, with project access true and
// no users where c gives none; otherwise (PATCH) only what c gives changes. An ACL that did
// not exist is created at; one that did keeps its creation time. The secret's locator follows
// the users in the same transaction: there while the ACL lists any.
func SetACL(ctx context.Context, st readWriter, rec store.Record, at time.Time, c ACLChange, replace bool) error {
	return changeWith(ctx, st, rec, metadataAttempts, func(rec store.Record) (store.Update, store.Tx, error) {
		old := ACLOf(rec)
		access, users := old.ProjectAccess, old.Users
		if replace {
			access, users = true, nil
		}
		if c.ProjectAccess != nil {
			access = *c.ProjectAccess
		}
		if c.UsersGiven {
			users = c.Users
		}
		stamp := Isoformat(at)
		created := old.Created
		if created == "" {
			created = stamp
		}
		var list any // nil removes the attribute
		if len(users) > 0 {
			list = users
		}
		more, located := locatorFor(rec, len(users) > 0)
		return store.Update{At: at, Set: store.Attrs{aclProjectAccess: access, aclUsers: list, aclCreated: created, aclUpdated: stamp, aclLocator: located}}, more, nil
	})
}

// DeleteACL removes rec's ACL, and its locator: the secret is back to Barbican's default.
func DeleteACL(ctx context.Context, st readWriter, rec store.Record, at time.Time) error {
	return changeWith(ctx, st, rec, metadataAttempts, func(rec store.Record) (store.Update, store.Tx, error) {
		more, _ := locatorFor(rec, false)
		return store.Update{At: at, Set: store.Attrs{aclProjectAccess: nil, aclUsers: nil, aclCreated: nil, aclUpdated: nil, aclLocator: nil}}, more, nil
	})
}

// Private reports whether rec's ACL takes reading away from its project (project-access
// false): then, in Barbican's default policy, only the project's admins, the secret's creator
// and (for reads) the ACL's users reach it. The decision is the key manager's built-in
// policies' (shared/api/keymanager, roles.go).
func Private(rec store.Record) bool {
	v, ok := rec.Attrs[aclProjectAccess].(bool)
	return ok && !v
}

// CreatedBy reports whether user (a Keystone user id; "" never is) created rec.
func CreatedBy(rec store.Record, user string) bool {
	return user != "" && rec.Attrs.String("creator_id") == user
}
