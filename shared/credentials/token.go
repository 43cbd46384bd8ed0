package credentials

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"keyport/shared/policy"
)

// Token is what a Keystone token issued by keyport carries, as Keystone's Fernet tokens do:
// who (the user, and the application credential it came through), the project it is scoped
// to, the methods, its times and audit id. Roles are not in it: they are read from the
// document whenever the token is used (see Grant), so a role taken away, a user or an
// application credential removed, ends its tokens at the next credentials refresh.
type Token struct {
	User    string    `json:"u"`
	Project string    `json:"p"`
	Methods []string  `json:"m"`
	AppCred string    `json:"c,omitempty"`
	Issued  time.Time `json:"i"`
	Expires time.Time `json:"e"`
	AuditID string    `json:"a"`
}

// tokenVersion is the first byte of every sealed token.
const tokenVersion = 1

// keyID names a token key in the sealed token, so that opening tries one key, not each:
// 4 bytes of the key's SHA-256, which say nothing usable about a 256-bit random key.
func keyID(key []byte) []byte {
	sum := sha256.Sum256(append([]byte("keyport token key id\x00"), key...))
	return sum[:4]
}

// SealToken seals t under the document's first token key (AES-256-GCM): the token is
// unreadable and unforgeable without a key, and any instance holding the key opens it.
func (b *Book) SealToken(t Token) (string, error) {
	keys := b.entries.Load().identity.keys
	if len(keys) == 0 {
		return "", errors.New("credentials: no keystone.tokenKeys")
	}
	plain, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	aead, err := gcm(keys[0])
	if err != nil {
		return "", err
	}
	head := append([]byte{tokenVersion}, keyID(keys[0])...)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(append(head, nonce...), nonce, plain, head)
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// OpenToken opens a token sealed under any of the document's token keys and returns it if it
// has not expired at now. Anything else (not a token, another key, tampered, expired) is
// false, without saying which.
func (b *Book) OpenToken(s string, now time.Time) (Token, bool) {
	keys := b.entries.Load().identity.keys
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 5+12+16 || raw[0] != tokenVersion {
		return Token{}, false
	}
	head := raw[:5]
	i := slices.IndexFunc(keys, func(k []byte) bool { return subtle.ConstantTimeCompare(keyID(k), head[1:]) == 1 })
	if i < 0 {
		return Token{}, false
	}
	aead, err := gcm(keys[i])
	if err != nil {
		return Token{}, false
	}
	nonce := raw[5 : 5+aead.NonceSize()]
	plain, err := aead.Open(nil, nonce, raw[5+aead.NonceSize():], head)
	if err != nil {
		return Token{}, false
	}
	var t Token
	if json.Unmarshal(plain, &t) != nil || t.User == "" || t.Project == "" || !now.Before(t.Expires) {
		return Token{}, false
	}
	return t, true
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Grant is what a token allows now: its user and project as the document holds them, and
// the roles it carries there (an application credential's roles, else the user's).
type Grant struct {
	Token   Token
	User    User
	Project Project
	Roles   []string
	// Policies are the policies the token's requests must pass (policy.Authorize): its
	// user's, and its application credential's when it has one.
	Policies []*policy.Policy
}

// Grant resolves t against the document as it is now: false when its user, project or
// application credential is gone (or the credential expired).
func (b *Book) Grant(t Token, now time.Time) (Grant, bool) {
	u, ok := b.KeystoneUser(t.User)
	if !ok {
		return Grant{}, false
	}
	p, ok := b.UserProject(t.User, ProjectRef{ID: t.Project})
	if !ok {
		return Grant{}, false
	}
	roles := p.Roles
	policies := []*policy.Policy{u.Policy}
	if t.AppCred != "" {
		a, ok := b.ApplicationCredentialByID(t.AppCred)
		if !ok || a.User != t.User || a.Project != t.Project || (a.ExpiresAt != nil && !now.Before(*a.ExpiresAt)) {
			return Grant{}, false
		}
		roles = slices.DeleteFunc(slices.Clone(a.Roles), func(r string) bool { return !slices.Contains(p.Roles, r) })
		policies = append(policies, a.Policy)
	}
	return Grant{Token: t, User: u, Project: p, Roles: roles, Policies: policies}, true
}

// Has reports whether the grant holds role, counting Keystone's default implied roles
// (admin implies member, member implies reader).
func (g Grant) Has(role string) bool {
	implied := map[string][]string{"reader": {"reader", "member", "admin"}, "member": {"member", "admin"}, "admin": {"admin"}}
	names, ok := implied[role]
	if !ok {
		names = []string{role}
	}
	return slices.ContainsFunc(g.Roles, func(r string) bool { return slices.Contains(names, r) })
}
