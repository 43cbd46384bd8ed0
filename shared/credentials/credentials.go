// Package credentials is keyport's book of callers: which keys may sign Tencent and Alibaba
// requests, which tokens reach which Gcore projects and K5 tenants. It is loaded from a JSON
// document (a file for `make run`, a Secrets Manager secret in Lambda); Dev returns the
// documented development book used when none is given.
//
// Token lookups compare SHA-256 digests in constant time against every entry, so neither timing
// nor an early exit tells a caller how close a guess was.
package credentials

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"keyport/shared/policy"
)

// Document is the JSON form of a credentials book.
//
//	{"tencent": [{"secretId": "AKID…", "secretKey": "…", "account": "100000000001"}],
//	 "alibaba": [{"accessKeyId": "LTAI…", "accessKeySecret": "…", "account": "1234567890"}],
//	 "gcore":   [{"apiKey": "…", "projects": [1], "regions": []}],
//	 "k5":      [{"token": "…", "tenant": "a759452216fd41cf8ee5aba321cfbd49"}],
//	 "users":   [{"id": "…", "name": "demo", "domain": {"id": "default", "name": "Default"},
//	              "password": "$argon2id$…", "defaultProject": "a7594…",
//	              "projects": [{"id": "a7594…", "name": "demo", "roles": ["member"]}]}],
//	 "applicationCredentials": [{"id": "…", "name": "ci", "secret": "$argon2id$…", "user": "<user id>",
//	              "project": "a7594…", "roles": ["member"], "expiresAt": "2027-01-01T00:00:00Z"}],
//	 "keystone": {"tokenKeys": ["<base64 of 32 random bytes>"], "tokenLifetime": "1h", "region": "RegionOne"},
//	 "auditKey": "…at least 32 random characters…"}
//
// Every credential (a tencent, alibaba, gcore or k5 entry, a user, an application credential)
// may carry a "policy": a list of statements saying which actions it may call on which
// resources (docs/policies.md); one without keeps full access to its account.
//
// An empty "regions" list means every region of the listed projects. "auditKey" is optional;
// see Book.AuditKey. Passwords and application credential secrets are argon2id hashes
// (`keyport hash-password`); see keystone.go for the OpenStack identity part.
type Document struct {
	Tencent  []SigningKey `json:"tencent"`
	Alibaba  []SigningKey `json:"alibaba"`
	Gcore    []GcoreKey   `json:"gcore"`
	K5       []K5Token    `json:"k5"`
	AuditKey string       `json:"auditKey"`

	Users                  []User                  `json:"users"`
	ApplicationCredentials []ApplicationCredential `json:"applicationCredentials"`
	Keystone               Keystone                `json:"keystone"`
}

// MinAuditKey is the shortest auditKey accepted, in bytes: 32 random characters hold more
// than the 128 bits the audit hash is truncated to.
const MinAuditKey = 32

// SigningKey is a Tencent SecretId/SecretKey or an Alibaba AccessKeyId/AccessKeySecret pair.
type SigningKey struct {
	ID      string         `json:"-"`
	Secret  string         `json:"-"`
	Account string         `json:"account"`
	Policy  *policy.Policy `json:"policy,omitempty"`
}

// UnmarshalJSON accepts both vendors' spellings of the id and secret fields.
func (k *SigningKey) UnmarshalJSON(b []byte) error {
	var raw struct {
		SecretID        string         `json:"secretId"`
		SecretKey       string         `json:"secretKey"`
		AccessKeyID     string         `json:"accessKeyId"`
		AccessKeySecret string         `json:"accessKeySecret"`
		Account         string         `json:"account"`
		Policy          *policy.Policy `json:"policy"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	k.ID, k.Secret, k.Account = raw.SecretID+raw.AccessKeyID, raw.SecretKey+raw.AccessKeySecret, raw.Account
	k.Policy = raw.Policy
	return nil
}

// GcoreKey is a Gcore permanent API token and the projects (and regions) it may reach.
type GcoreKey struct {
	APIKey   string         `json:"apiKey"`
	Projects []int64        `json:"projects"`
	Regions  []int64        `json:"regions"`
	Policy   *policy.Policy `json:"policy,omitempty"`
}

// Allows reports whether the key may reach project/region.
func (g GcoreKey) Allows(project, region int64) bool {
	return slices.Contains(g.Projects, project) && (len(g.Regions) == 0 || slices.Contains(g.Regions, region))
}

// K5Token is a K5 X-Auth-Token and the tenant (project) it is scoped to.
type K5Token struct {
	Token  string         `json:"token"`
	Tenant string         `json:"tenant"`
	Policy *policy.Policy `json:"policy,omitempty"`
}

// Book answers "who is this caller" for every wire. Its entries can be swapped atomically
// (see Refresher), so a long-lived handler holding a *Book sees rotated credentials.
type Book struct {
	entries atomic.Pointer[entries]
}

type entries struct {
	tencent  map[string]SigningKey
	alibaba  map[string]SigningKey
	gcore    []digested[GcoreKey]
	k5       []digested[K5Token]
	auditKey []byte
	identity *identity
	// unrestricted counts the credentials without a policy (see Unrestricted).
	unrestricted int
}

type digested[T any] struct {
	sum   [sha256.Size]byte
	value T
}

// Parse reads a credentials document. Entries with an empty id, secret or token are refused.
func Parse(data []byte) (*Book, error) {
	var doc Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("credentials: not a JSON credentials document (%s)", describeJSONError(err))
	}
	return FromDocument(doc)
}

// describeJSONError says where a document failed to decode without quoting it: encoding/json's
// syntax errors quote the offending character, which may belong to a secret key.
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("syntax error at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s", typ.Field, typ.Type)
	}
	var form *policy.FormError
	if errors.As(err, &form) {
		return form.Error() // quotes nothing of the document
	}
	return "invalid JSON"
}

// FromDocument builds a Book, checking every entry.
func FromDocument(doc Document) (*Book, error) {
	b := &entries{tencent: map[string]SigningKey{}, alibaba: map[string]SigningKey{}}
	for _, k := range doc.Tencent {
		if k.ID == "" || k.Secret == "" || k.Account == "" {
			return nil, errors.New("credentials: a tencent entry lacks secretId, secretKey or account")
		}
		b.tencent[k.ID] = k
	}
	for _, k := range doc.Alibaba {
		if k.ID == "" || k.Secret == "" || k.Account == "" {
			return nil, errors.New("credentials: an alibaba entry lacks accessKeyId, accessKeySecret or account")
		}
		b.alibaba[k.ID] = k
	}
	for _, g := range doc.Gcore {
		if g.APIKey == "" || len(g.Projects) == 0 {
			return nil, errors.New("credentials: a gcore entry lacks apiKey or projects")
		}
		b.gcore = append(b.gcore, digested[GcoreKey]{sha256.Sum256([]byte(g.APIKey)), g})
	}
	for _, k := range doc.K5 {
		if k.Token == "" || k.Tenant == "" {
			return nil, errors.New("credentials: a k5 entry lacks token or tenant")
		}
		b.k5 = append(b.k5, digested[K5Token]{sha256.Sum256([]byte(k.Token)), k})
	}
	var err error
	if b.identity, err = buildIdentity(doc); err != nil {
		return nil, err
	}
	if b.unrestricted, err = checkPolicies(doc); err != nil {
		return nil, err
	}
	switch {
	case doc.AuditKey == "":
		b.auditKey = deriveAuditKey(doc)
	case len(doc.AuditKey) < MinAuditKey:
		return nil, fmt.Errorf("credentials: auditKey must be at least %d characters", MinAuditKey)
	default:
		b.auditKey = []byte(doc.AuditKey)
	}
	book := &Book{}
	book.entries.Store(b)
	return book, nil
}

// checkPolicies checks every credential's policy (policy.Check), naming the entry at fault, and
// counts the credentials without one.
func checkPolicies(doc Document) (unrestricted int, err error) {
	check := func(entry string, i int, p *policy.Policy) {
		if err != nil {
			return
		}
		if p == nil {
			unrestricted++
			return
		}
		if e := p.Check(); e != nil {
			err = fmt.Errorf("credentials: %s[%d].policy %w", entry, i, e)
		}
	}
	for i, k := range doc.Tencent {
		check("tencent", i, k.Policy)
	}
	for i, k := range doc.Alibaba {
		check("alibaba", i, k.Policy)
	}
	for i, k := range doc.Gcore {
		check("gcore", i, k.Policy)
	}
	for i, k := range doc.K5 {
		check("k5", i, k.Policy)
	}
	for i, u := range doc.Users {
		check("users", i, u.Policy)
	}
	for i, a := range doc.ApplicationCredentials {
		check("applicationCredentials", i, a.Policy)
	}
	return unrestricted, err
}

// Unrestricted is how many credentials of the book have no policy and so full access to their
// account: start-up says so once.
func (b *Book) Unrestricted() int { return b.entries.Load().unrestricted }

// AuditKey is the key the audit trail hashes bearer tokens (Gcore API keys, K5 tokens) under,
// so that a caller's events can be followed without the trail holding the token.
//
// The key must be the same in every process serving the same callers, or one caller would
// show up under a different principal on each Lambda instance; and it must be secret from
// readers of the trail, or they could test a guessed token against its hash. A key drawn at
// random per process fails the first; a fixed key in the code fails the second. So it comes
// from the credentials document, which every instance loads and which is exactly as secret as
// the tokens:
//
//   - the document's "auditKey", when set: it survives rotating every token, so principals stay
//     comparable across rotations (a token's principal changes only with the token);
//   - otherwise a SHA-256 digest of every id and secret in the document, in document order.
//     This needs no configuration, but every edit of the document changes the key and so
//     every bearer principal, and it is only as hard to guess as all the document's secrets
//     together: a document holding nothing but one guessable token protects that token no
//     better than an unkeyed hash would. Set "auditKey" in production.
func (b *Book) AuditKey() []byte { return b.entries.Load().auditKey }

// deriveAuditKey is the fallback AuditKey: a digest of a fixed label and every credential in
// doc, each length-prefixed so that no two documents collide by shifting bytes between fields.
func deriveAuditKey(doc Document) []byte {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field("keyport audit bearer-token key v1")
	for _, keys := range [][]SigningKey{doc.Tencent, doc.Alibaba} {
		for _, k := range keys {
			field(k.ID)
			field(k.Secret)
		}
	}
	for _, g := range doc.Gcore {
		field(g.APIKey)
	}
	for _, k := range doc.K5 {
		field(k.Token)
	}
	for _, k := range doc.Keystone.TokenKeys {
		field(k)
	}
	return h.Sum(nil)
}

// replace swaps in the entries of other.
func (b *Book) replace(other *Book) { b.entries.Store(other.entries.Load()) }

// Development credentials: documented in docs/running.md ("Development credentials") and printed
// by `make run` at start-up.
// They are for a local process on loopback only; Lambda mode never falls back to them.
const (
	DevTencentSecretID  = "AKIDkeyportLocalDev"
	DevTencentSecretKey = "keyportLocalDevSecretKey"
	DevTencentAccount   = "100000000001"
	DevAlibabaKeyID     = "LTAIkeyportLocalDev"
	DevAlibabaSecret    = "keyportLocalDevSecret"
	DevAlibabaAccount   = "1000000000000001"
	DevGcoreAPIKey      = "keyport-local-dev"
	DevGcoreProject     = 1
	DevK5Token          = "keyport-local-dev"
	DevK5Tenant         = "a759452216fd41cf8ee5aba321cfbd49"
	// The development OpenStack user, in the default domain, with every role on the
	// development K5 tenant.
	DevUserID       = "6b1e4f0a2c3d4e5f8a9b0c1d2e3f4a5b"
	DevUserName     = "keyport-dev"
	DevUserPassword = "keyport-local-dev"
	DevProjectName  = "keyport-dev"
)

// devUserHash is DevUserPassword's argon2id hash (keyport hash-password), so that building
// the development book costs no hashing.
const devUserHash = "$argon2id$v=19$m=19456,t=2,p=1$N0Mp3a2EzTmUfO2R3/th6g$lKBeu+zkgseJKO81OXIPQqGjcCVIEmZo5F86rBytRDQ"

// devTokenKey seals the development book's tokens. It is public: development tokens are for
// a loopback process only.
const devTokenKey = "a2V5cG9ydCBsb2NhbCBkZXZlbG9wbWVudCB0b2tlbnM="

// Dev returns the development book.
func Dev() *Book {
	b, _ := FromDocument(DevDocument())
	return b
}

// DevDocument is the development book's document.
func DevDocument() Document {
	return Document{
		Tencent: []SigningKey{{ID: DevTencentSecretID, Secret: DevTencentSecretKey, Account: DevTencentAccount}},
		Alibaba: []SigningKey{{ID: DevAlibabaKeyID, Secret: DevAlibabaSecret, Account: DevAlibabaAccount}},
		Gcore:   []GcoreKey{{APIKey: DevGcoreAPIKey, Projects: []int64{DevGcoreProject}}},
		K5:      []K5Token{{Token: DevK5Token, Tenant: DevK5Tenant}},
		Users: []User{{ID: DevUserID, Name: DevUserName, Domain: DefaultDomain, Password: devUserHash,
			Projects: []Project{{ID: DevK5Tenant, Name: DevProjectName, Domain: DefaultDomain, Roles: []string{"admin", "member", "reader"}}}}},
		Keystone: Keystone{TokenKeys: []string{devTokenKey}},
	}
}

// Tencent returns the signing key for a SecretId.
func (b *Book) Tencent(secretID string) (SigningKey, bool) {
	k, ok := b.entries.Load().tencent[secretID]
	return k, ok
}

// Alibaba returns the signing key for an AccessKeyId.
func (b *Book) Alibaba(accessKeyID string) (SigningKey, bool) {
	k, ok := b.entries.Load().alibaba[accessKeyID]
	return k, ok
}

// Gcore returns the grant of a Gcore API token.
func (b *Book) Gcore(token string) (GcoreKey, bool) { return match(b.entries.Load().gcore, token) }

// K5 returns the tenant a K5 token is scoped to.
func (b *Book) K5(token string) (K5Token, bool) { return match(b.entries.Load().k5, token) }

// match checks token against every entry without stopping early.
func match[T any](entries []digested[T], token string) (T, bool) {
	var found T
	ok := 0
	sum := sha256.Sum256([]byte(token))
	for _, e := range entries {
		eq := subtle.ConstantTimeCompare(sum[:], e.sum[:])
		if eq == 1 && ok == 0 {
			found = e.value
		}
		ok |= eq
	}
	return found, ok == 1 && token != ""
}
