package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"keyport/shared/credentials"
)

// SubjectTokenHeader carries the token: issued by POST /v3/auth/tokens, validated by GET.
const SubjectTokenHeader = "X-Subject-Token"

// TokenBody is Keystone's token document, {"token": {...}} (docs/wire/identity.md).
type TokenBody struct {
	Token Token `json:"token"`
}

// Token is the inner document. Times are Keystone's: ISO 8601 in UTC with microseconds and Z.
type Token struct {
	Methods   []string  `json:"methods"`
	User      User      `json:"user"`
	Project   Project   `json:"project"`
	IsDomain  bool      `json:"is_domain"`
	Roles     []Role    `json:"roles"`
	Catalog   []Service `json:"catalog"`
	ExpiresAt string    `json:"expires_at"`
	IssuedAt  string    `json:"issued_at"`
	AuditIDs  []string  `json:"audit_ids"`
	AppCred   *AppCred  `json:"application_credential,omitempty"`
}

// User, Project, Domain, Role, AppCred: the token's named objects.
type (
	Domain struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	User struct {
		ID                string  `json:"id"`
		Name              string  `json:"name"`
		Domain            Domain  `json:"domain"`
		PasswordExpiresAt *string `json:"password_expires_at"`
	}
	Project struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Domain Domain `json:"domain"`
	}
	Role struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	AppCred struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Restricted bool   `json:"restricted"`
	}
)

// Service is a catalog entry; Endpoint one of its URLs.
type Service struct {
	ID        string     `json:"id"`
	Type      string     `json:"type"`
	Name      string     `json:"name"`
	Endpoints []Endpoint `json:"endpoints"`
}

// Endpoint is one interface of a service in a region.
type Endpoint struct {
	ID        string `json:"id"`
	Interface string `json:"interface"`
	Region    string `json:"region"`
	RegionID  string `json:"region_id"`
	URL       string `json:"url"`
}

// Stamp is Keystone's time format.
func Stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// Render is the token document for grant g, whose token is t, with the catalog under origin
// (see PublicOrigin).
func Render(origin string, g credentials.Grant, appCredName string, region string) TokenBody {
	t := g.Token
	roles := make([]Role, len(g.Roles))
	for i, name := range g.Roles {
		roles[i] = Role{ID: stableID("role", name), Name: name}
	}
	body := TokenBody{Token{
		Methods: t.Methods,
		User:    User{ID: g.User.ID, Name: g.User.Name, Domain: Domain(g.User.Domain)},
		Project: Project{ID: g.Project.ID, Name: g.Project.Name, Domain: Domain(g.Project.Domain)},
		Roles:   roles, Catalog: Catalog(origin, region),
		ExpiresAt: Stamp(t.Expires), IssuedAt: Stamp(t.Issued), AuditIDs: []string{t.AuditID},
	}}
	if t.AppCred != "" {
		body.Token.AppCred = &AppCred{ID: t.AppCred, Name: appCredName, Restricted: true}
	}
	return body
}

// Catalog is the service catalog every token carries: the key manager at its versionless URL
// (clients discover /v1 from the root's version document, docs/wire/identity.md) and identity
// at /v3, both at origin, on the public, internal and admin interfaces of region.
func Catalog(origin, region string) []Service {
	service := func(typ, name, url string) Service {
		s := Service{ID: stableID("service", typ), Type: typ, Name: name}
		for _, iface := range []string{"public", "internal", "admin"} {
			s.Endpoints = append(s.Endpoints, Endpoint{ID: stableID("endpoint", typ+"/"+iface), Interface: iface,
				Region: region, RegionID: region, URL: url})
		}
		return s
	}
	return []Service{service("key-manager", "barbican", origin), service("identity", "keystone", origin+"/v3")}
}

// stableID is a Keystone-shaped id (32 hex digits) for a fixed name, the same on every instance.
func stableID(kind, name string) string {
	sum := sha256.Sum256([]byte("keyport " + kind + " " + name))
	return hex.EncodeToString(sum[:16])
}
