package credentials

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"keyport/shared/policy"
)

// Domain is a Keystone domain. A user or project that names none is in Keystone's default
// domain, id "default", name "Default".
type Domain struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// DefaultDomain is Keystone's default domain.
var DefaultDomain = Domain{ID: "default", Name: "Default"}

// Project is a Keystone project a user has roles on. Its id is the project (K5 tenant) its
// tokens reach, the same id static K5 tokens name.
type Project struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Domain Domain   `json:"domain"`
	Roles  []string `json:"roles"`
}

// User is an OpenStack user: who may ask POST /v3/auth/tokens for a token, with a password
// stored only as its argon2id hash (see HashPassword).
type User struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Domain   Domain `json:"domain"`
	Password string `json:"password"` // the PHC hash, never the password
	// DefaultProject is the project an unscoped request is scoped to; "" means the first of
	// Projects.
	DefaultProject string    `json:"defaultProject"`
	Projects       []Project `json:"projects"`
	// Policy limits what the user's tokens may do (docs/policies.md); nil is full access.
	Policy *policy.Policy `json:"policy,omitempty"`

	hash passwordHash
}

// ApplicationCredential is a Keystone application credential: a secret (stored hashed) that
// authenticates as its user, scoped to one project, with a subset of the user's roles there.
type ApplicationCredential struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Secret    string     `json:"secret"` // the PHC hash, never the secret
	User      string     `json:"user"`   // the user's id
	Project   string     `json:"project"`
	Roles     []string   `json:"roles"`
	ExpiresAt *time.Time `json:"expiresAt"`
	// Policy limits the credential's tokens further: they must pass its user's policy too.
	Policy *policy.Policy `json:"policy,omitempty"`

	hash passwordHash
}

// Keystone holds the identity settings every instance must share: the keys tokens are sealed
// under (each the standard base64 of 32 random bytes; the first seals, every one opens, so a
// new key is added first and an old one removed a token lifetime later), the tokens' lifetime
// (default 1h) and the region the catalog names (default RegionOne).
type Keystone struct {
	TokenKeys     []string `json:"tokenKeys"`
	TokenLifetime string   `json:"tokenLifetime"`
	Region        string   `json:"region"`
	// PublicURL, when set, is the <scheme>://<host>[/prefix] every version document link and
	// catalog URL starts with, instead of the one the request was sent to (a proxy or custom
	// domain in front that sets no X-Forwarded-Host).
	PublicURL string `json:"publicURL"`
}

// DefaultTokenLifetime is a token's lifetime unless the document sets keystone.tokenLifetime.
const DefaultTokenLifetime = time.Hour

// identity is a book's Keystone part, built once per document.
type identity struct {
	users     map[string]*User                  // by id
	byName    map[[2]string]*User               // by domain id + name, and domain name + name
	appCreds  map[string]*ApplicationCredential // by id
	appByName map[[2]string]*ApplicationCredential
	keys      [][]byte
	lifetime  time.Duration
	region    string
	publicURL string
}

// buildIdentity checks the Keystone part of doc. No error quotes a hash, a key or a secret.
func buildIdentity(doc Document) (*identity, error) {
	id := &identity{users: map[string]*User{}, byName: map[[2]string]*User{}, appCreds: map[string]*ApplicationCredential{},
		appByName: map[[2]string]*ApplicationCredential{}, region: cmp.Or(doc.Keystone.Region, "RegionOne"), lifetime: DefaultTokenLifetime}
	var err error
	if id.publicURL, err = checkPublicURL(doc.Keystone.PublicURL); err != nil {
		return nil, err
	}
	for i := range doc.Users {
		u := doc.Users[i] // a copy: the document is the caller's
		if u.ID == "" || u.Name == "" || len(u.Projects) == 0 {
			return nil, fmt.Errorf("credentials: users[%d] lacks id, name or projects", i)
		}
		if _, dup := id.users[u.ID]; dup {
			return nil, fmt.Errorf("credentials: users[%d]: user id %q is listed twice", i, u.ID)
		}
		var err error
		if u.hash, err = parseHash(u.Password); err != nil {
			return nil, fmt.Errorf("credentials: users[%d].password %w", i, err)
		}
		u.Domain = withDefault(u.Domain)
		u.Projects = slices.Clone(u.Projects)
		for j := range u.Projects {
			p := &u.Projects[j]
			if p.ID == "" || p.Name == "" {
				return nil, fmt.Errorf("credentials: users[%d].projects[%d] lacks id or name", i, j)
			}
			p.Domain = withDefault(p.Domain)
		}
		if u.DefaultProject == "" {
			u.DefaultProject = u.Projects[0].ID
		}
		if _, ok := u.project(u.DefaultProject); !ok {
			return nil, fmt.Errorf("credentials: users[%d].defaultProject is not one of its projects", i)
		}
		id.users[u.ID] = &u
		id.byName[[2]string{"id:" + u.Domain.ID, u.Name}] = &u
		id.byName[[2]string{"name:" + u.Domain.Name, u.Name}] = &u
	}
	for i := range doc.ApplicationCredentials {
		a := doc.ApplicationCredentials[i]
		if a.ID == "" || a.Name == "" || a.User == "" || a.Project == "" || len(a.Roles) == 0 {
			return nil, fmt.Errorf("credentials: applicationCredentials[%d] lacks id, name, user, project or roles", i)
		}
		var err error
		if a.hash, err = parseHash(a.Secret); err != nil {
			return nil, fmt.Errorf("credentials: applicationCredentials[%d].secret %w", i, err)
		}
		u, ok := id.users[a.User]
		if !ok {
			return nil, fmt.Errorf("credentials: applicationCredentials[%d].user is not a listed user id", i)
		}
		p, ok := u.project(a.Project)
		if !ok {
			return nil, fmt.Errorf("credentials: applicationCredentials[%d].project is not one of its user's projects", i)
		}
		for _, r := range a.Roles {
			if !slices.Contains(p.Roles, r) {
				// Keystone refuses to delegate a role the user does not hold on the project.
				return nil, fmt.Errorf("credentials: applicationCredentials[%d] delegates role %q its user lacks on the project", i, r)
			}
		}
		id.appCreds[a.ID] = &a
		id.appByName[[2]string{a.User, a.Name}] = &a
	}
	for i, k := range doc.Keystone.TokenKeys {
		key, err := base64.StdEncoding.DecodeString(k)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("credentials: keystone.tokenKeys[%d] must be the base64 of 32 random bytes", i)
		}
		id.keys = append(id.keys, key)
	}
	if len(id.users) > 0 && len(id.keys) == 0 {
		return nil, errors.New("credentials: users need keystone.tokenKeys (the base64 of 32 random bytes each) to seal their tokens")
	}
	if doc.Keystone.TokenLifetime != "" {
		d, err := time.ParseDuration(doc.Keystone.TokenLifetime)
		if err != nil || d < time.Minute || d > 7*24*time.Hour {
			return nil, errors.New("credentials: keystone.tokenLifetime must be a duration from 1m to 168h")
		}
		id.lifetime = d
	}
	return id, nil
}

func withDefault(d Domain) Domain {
	if d.ID == "" && d.Name == "" {
		return DefaultDomain
	}
	return d
}

// project returns the user's project with id pid.
func (u *User) project(pid string) (Project, bool) {
	i := slices.IndexFunc(u.Projects, func(p Project) bool { return p.ID == pid })
	if i < 0 {
		return Project{}, false
	}
	return u.Projects[i], true
}

// UserRef names a user as a password request does: by id, or by name within a domain given
// by id or by name.
type UserRef struct {
	ID, Name, DomainID, DomainName string
}

// CheckPassword returns the user ref names when password is theirs. It runs one argon2id
// check whatever happens, against the decoy hash when ref names no user, so an unknown user
// costs what a wrong password costs, and the answer is the same.
func (b *Book) CheckPassword(ref UserRef, password string) (User, bool) {
	id := b.entries.Load().identity
	u := id.user(ref)
	if u == nil {
		decoy().matches(password)
		return User{}, false
	}
	if !u.hash.matches(password) {
		return User{}, false
	}
	return *u, true
}

func (id *identity) user(ref UserRef) *User {
	switch {
	case ref.ID != "":
		return id.users[ref.ID]
	case ref.DomainID != "":
		return id.byName[[2]string{"id:" + ref.DomainID, ref.Name}]
	case ref.DomainName != "":
		return id.byName[[2]string{"name:" + ref.DomainName, ref.Name}]
	}
	return nil
}

// AppCredRef names an application credential: by id, or by name with its user.
type AppCredRef struct {
	ID, Name string
	User     UserRef
}

// CheckApplicationCredential returns the credential ref names, and its user, when secret is
// its secret and it has not expired at now. Like CheckPassword it runs one argon2id check
// whatever happens.
func (b *Book) CheckApplicationCredential(ref AppCredRef, secret string, now time.Time) (ApplicationCredential, User, bool) {
	id := b.entries.Load().identity
	var a *ApplicationCredential
	if ref.ID != "" {
		a = id.appCreds[ref.ID]
	} else if u := id.user(ref.User); u != nil {
		a = id.appByName[[2]string{u.ID, ref.Name}]
	}
	if a == nil {
		decoy().matches(secret)
		return ApplicationCredential{}, User{}, false
	}
	if !a.hash.matches(secret) || (a.ExpiresAt != nil && !now.Before(*a.ExpiresAt)) {
		return ApplicationCredential{}, User{}, false
	}
	return *a, *id.users[a.User], true
}

// ProjectRef names a project as a scope does: by id, or by name within a domain.
type ProjectRef struct {
	ID, Name, DomainID, DomainName string
}

// UserProject returns the project of user u that ref names ("" ref: the user's default
// project), with u's roles on it, as the document holds them now.
func (b *Book) UserProject(userID string, ref ProjectRef) (Project, bool) {
	u := b.entries.Load().identity.users[userID]
	if u == nil {
		return Project{}, false
	}
	if ref == (ProjectRef{}) {
		return u.project(u.DefaultProject)
	}
	for _, p := range u.Projects {
		switch {
		case ref.ID != "" && p.ID == ref.ID,
			ref.ID == "" && p.Name == ref.Name && (ref.DomainID == p.Domain.ID || ref.DomainName == p.Domain.Name ||
				ref.DomainID == "" && ref.DomainName == "" && p.Domain == u.Domain):
			return p, true
		}
	}
	return Project{}, false
}

// KeystoneUser returns the user with id, as the document holds it now.
func (b *Book) KeystoneUser(id string) (User, bool) {
	u := b.entries.Load().identity.users[id]
	if u == nil {
		return User{}, false
	}
	return *u, true
}

// ApplicationCredentialByID returns the credential with id, as the document holds it now.
func (b *Book) ApplicationCredentialByID(id string) (ApplicationCredential, bool) {
	a := b.entries.Load().identity.appCreds[id]
	if a == nil {
		return ApplicationCredential{}, false
	}
	return *a, true
}

// Region is the region the identity catalog names.
func (b *Book) Region() string { return b.entries.Load().identity.region }

// PublicURL is keystone.publicURL without a trailing slash, or "" when the document sets none.
func (b *Book) PublicURL() string { return b.entries.Load().identity.publicURL }

// checkPublicURL accepts "" or an absolute http(s) URL with a host and no query or fragment.
func checkPublicURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("credentials: keystone.publicURL must be an absolute http or https URL without user, query or fragment")
	}
	return strings.TrimSuffix(raw, "/"), nil
}

// TokenLifetime is how long a token issued now stays valid.
func (b *Book) TokenLifetime() time.Duration { return b.entries.Load().identity.lifetime }

// KeystoneUserByRef returns the id of the user ref names, for the audit trail of a refused
// request (never for deciding anything: CheckPassword decides).
func (b *Book) KeystoneUserByRef(ref UserRef) (string, bool) {
	u := b.entries.Load().identity.user(ref)
	if u == nil {
		return "", false
	}
	return u.ID, true
}
