package credentials

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const (
	key1 = "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE=" // 32 bytes of '1'
	key2 = "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI=" // 32 bytes of '2'
)

// identityBook is a document with two users in two domains and an application credential.
func identityBook(t *testing.T, keys ...string) *Book {
	t.Helper()
	pw, _ := HashPassword("alice-pw")
	bob, _ := HashPassword("bob-pw")
	sec, _ := HashPassword("app-secret")
	doc := Document{
		Users: []User{
			{ID: "u-alice", Name: "alice", Password: pw, Projects: []Project{
				{ID: "p1", Name: "one", Roles: []string{"member"}},
				{ID: "p2", Name: "two", Roles: []string{"reader"}}}},
			{ID: "u-bob", Name: "alice", Domain: Domain{ID: "d2", Name: "Other"}, Password: bob, DefaultProject: "p3",
				Projects: []Project{{ID: "p3", Name: "one", Domain: Domain{ID: "d2", Name: "Other"}, Roles: []string{"admin"}}}},
		},
		ApplicationCredentials: []ApplicationCredential{{ID: "ac1", Name: "ci", Secret: sec, User: "u-alice", Project: "p1", Roles: []string{"member"}}},
		Keystone:               Keystone{TokenKeys: keys},
	}
	b, err := FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckPassword(t *testing.T) {
	b := identityBook(t, key1)
	for _, tt := range []struct {
		ref      UserRef
		password string
		want     string
	}{
		{UserRef{ID: "u-alice"}, "alice-pw", "u-alice"},
		{UserRef{Name: "alice", DomainID: "default"}, "alice-pw", "u-alice"},
		{UserRef{Name: "alice", DomainName: "Default"}, "alice-pw", "u-alice"},
		{UserRef{Name: "alice", DomainName: "Other"}, "bob-pw", "u-bob"},
		{UserRef{Name: "alice", DomainName: "Other"}, "alice-pw", ""}, // the other domain's alice
		{UserRef{ID: "u-alice"}, "alice-pw ", ""},
		{UserRef{ID: "u-alice"}, "", ""},
		{UserRef{ID: "u-nobody"}, "alice-pw", ""},
		{UserRef{Name: "alice"}, "alice-pw", ""}, // a name needs a domain
	} {
		u, ok := b.CheckPassword(tt.ref, tt.password)
		if ok != (tt.want != "") || u.ID != tt.want {
			t.Errorf("CheckPassword(%+v) = %q %v, want %q", tt.ref, u.ID, ok, tt.want)
		}
	}
}

func TestApplicationCredential(t *testing.T) {
	b := identityBook(t, key1)
	now := time.Now()
	if a, u, ok := b.CheckApplicationCredential(AppCredRef{ID: "ac1"}, "app-secret", now); !ok || a.ID != "ac1" || u.ID != "u-alice" {
		t.Errorf("by id: got %q %q %v", a.ID, u.ID, ok)
	}
	if _, _, ok := b.CheckApplicationCredential(AppCredRef{Name: "ci", User: UserRef{Name: "alice", DomainID: "default"}}, "app-secret", now); !ok {
		t.Error("by name and user: refused")
	}
	for _, ref := range []AppCredRef{{ID: "ac1"}, {ID: "ac2"}, {Name: "ci", User: UserRef{ID: "u-bob"}}} {
		if _, _, ok := b.CheckApplicationCredential(ref, "wrong", now); ok {
			t.Errorf("%+v with a wrong secret accepted", ref)
		}
	}
	exp := now.Add(-time.Second)
	sec, _ := HashPassword("s")
	pw, _ := HashPassword("p")
	old, err := FromDocument(Document{Users: []User{{ID: "u", Name: "u", Password: pw, Projects: []Project{{ID: "p", Name: "p", Roles: []string{"member"}}}}},
		ApplicationCredentials: []ApplicationCredential{{ID: "a", Name: "a", Secret: sec, User: "u", Project: "p", Roles: []string{"member"}, ExpiresAt: &exp}},
		Keystone:               Keystone{TokenKeys: []string{key1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := old.CheckApplicationCredential(AppCredRef{ID: "a"}, "s", now); ok {
		t.Error("an expired application credential accepted")
	}
}

func TestTokenSealOpenAndRotation(t *testing.T) {
	b := identityBook(t, key1)
	now := time.Now().UTC()
	tok := Token{User: "u-alice", Project: "p1", Methods: []string{"password"}, Issued: now, Expires: now.Add(time.Hour), AuditID: "audit-marker"}
	s, err := b.SealToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	// Values long enough that random base64 does not hold them by chance ("p1" would, 1 in ~25).
	if strings.Contains(s, "u-alice") || strings.Contains(s, "audit-marker") || strings.Contains(s, "password") {
		t.Errorf("token %q shows its content", s)
	}
	if got, ok := b.OpenToken(s, now); !ok || got.User != "u-alice" || got.Project != "p1" {
		t.Errorf("OpenToken = %+v %v", got, ok)
	}
	if _, ok := b.OpenToken(s, now.Add(time.Hour)); ok {
		t.Error("an expired token opened")
	}
	raw, _ := base64.RawURLEncoding.DecodeString(s)
	for i := range raw {
		bad := append([]byte(nil), raw...)
		bad[i] ^= 1
		if _, ok := b.OpenToken(base64.RawURLEncoding.EncodeToString(bad), now); ok {
			t.Fatalf("a token with byte %d flipped opened", i)
		}
	}
	for _, junk := range []string{"", "x", "keyport-local-dev", s[:len(s)-1], s + "A"} {
		if _, ok := b.OpenToken(junk, now); ok {
			t.Errorf("OpenToken(%q) opened", junk)
		}
	}
	// Rotation: a new first key seals, the old key still opens; once removed, its tokens fail.
	rotated := identityBook(t, key2, key1)
	if _, ok := rotated.OpenToken(s, now); !ok {
		t.Error("a token under the second key did not open")
	}
	s2, _ := rotated.SealToken(tok)
	if _, ok := b.OpenToken(s2, now); ok {
		t.Error("a token under a key the book lacks opened")
	}
	if _, ok := identityBook(t, key2).OpenToken(s, now); ok {
		t.Error("a token under a removed key opened")
	}
}

func TestGrantReadsRolesNow(t *testing.T) {
	b := identityBook(t, key1)
	now := time.Now()
	g, ok := b.Grant(Token{User: "u-alice", Project: "p2", Expires: now.Add(time.Hour)}, now)
	if !ok || !g.Has("reader") || g.Has("member") {
		t.Errorf("reader grant = %+v %v", g.Roles, ok)
	}
	g, ok = b.Grant(Token{User: "u-bob", Project: "p3"}, now)
	if !ok || !g.Has("member") || !g.Has("reader") || !g.Has("admin") {
		t.Errorf("admin grant = %+v %v, want admin to imply member and reader", g.Roles, ok)
	}
	for _, tok := range []Token{{User: "u-alice", Project: "p3"}, {User: "u-gone", Project: "p1"}, {User: "u-alice", Project: "p2", AppCred: "ac1"}, {User: "u-alice", Project: "p1", AppCred: "gone"}} {
		if _, ok := b.Grant(tok, now); ok {
			t.Errorf("Grant(%+v) allowed", tok)
		}
	}
}

func TestIdentityDocumentRefusals(t *testing.T) {
	pw, _ := HashPassword("p")
	user := `{"id":"u","name":"n","password":"` + pw + `","projects":[{"id":"p","name":"p","roles":["member"]}]}`
	keys := `"keystone":{"tokenKeys":["` + key1 + `"]}`
	for _, bad := range []string{
		`{"users":[` + user + `]}`, // no token keys
		`{"users":[` + strings.Replace(user, pw, "plaintext-Zq9", 1) + `],` + keys + `}`,
		`{"users":[` + strings.Replace(user, "m=19456", "m=9999999", 1) + `],` + keys + `}`,
		`{"users":[` + user + `,` + user + `],` + keys + `}`,
		`{"users":[` + user + `],"keystone":{"tokenKeys":["Zq9short"]}}`,
		`{"users":[` + user + `],"keystone":{"tokenKeys":["` + key1 + `"],"tokenLifetime":"1s"}}`,
		`{"users":[` + strings.Replace(user, `"projects"`, `"defaultProject":"other","projects"`, 1) + `],` + keys + `}`,
		`{"users":[` + user + `],` + keys + `,"applicationCredentials":[{"id":"a","name":"a","secret":"` + pw + `","user":"u","project":"p","roles":["admin"]}]}`,
		`{"users":[` + user + `],` + keys + `,"applicationCredentials":[{"id":"a","name":"a","secret":"` + pw + `","user":"x","project":"p","roles":["member"]}]}`,
	} {
		_, err := Parse([]byte(bad))
		if err == nil {
			t.Errorf("accepted %s", bad)
			continue
		}
		if strings.Contains(err.Error(), "Zq9") || strings.Contains(err.Error(), pw[30:]) {
			t.Errorf("error quotes a secret: %v", err)
		}
	}
	var doc Document
	if err := json.Unmarshal([]byte(`{"users":[`+user+`],`+keys+`}`), &doc); err != nil {
		t.Fatal(err)
	}
	b, err := FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := b.KeystoneUser("u"); u.Domain != DefaultDomain || u.DefaultProject != "p" || b.TokenLifetime() != time.Hour || b.Region() != "RegionOne" {
		t.Errorf("defaults: got %+v, %v, %q", u, b.TokenLifetime(), b.Region())
	}
}

func TestDevUser(t *testing.T) {
	b := Dev()
	u, ok := b.CheckPassword(UserRef{Name: DevUserName, DomainID: "default"}, DevUserPassword)
	if !ok || u.ID != DevUserID {
		t.Fatal("dev user's password refused")
	}
	p, ok := b.UserProject(DevUserID, ProjectRef{})
	if !ok || p.ID != DevK5Tenant || len(p.Roles) != 3 {
		t.Errorf("dev user's default project = %+v", p)
	}
}

func TestHashPasswordIsSaltedAndChecks(t *testing.T) {
	a, _ := HashPassword("same")
	b, _ := HashPassword("same")
	if a == b || !strings.HasPrefix(a, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("got %q and %q, want two different argon2id hashes", a, b)
	}
	h, err := parseHash(a)
	if err != nil || !h.matches("same") || h.matches("Same") {
		t.Errorf("hash does not check its password: %v", err)
	}
}

// BenchmarkPasswordCheck is the cost of one password check (argon2id, 19 MiB, 2 passes).
func BenchmarkPasswordCheck(b *testing.B) {
	book := Dev()
	for b.Loop() {
		book.CheckPassword(UserRef{ID: DevUserID}, DevUserPassword)
	}
}

// BenchmarkTokenCheck is the cost of checking a token on a key manager request: open it and
// resolve its grant.
func BenchmarkTokenCheck(b *testing.B) {
	book := Dev()
	now := time.Now()
	s, _ := book.SealToken(Token{User: DevUserID, Project: DevK5Tenant, Methods: []string{"password"}, Issued: now, Expires: now.Add(time.Hour), AuditID: "abcdefghijklmnopqrstuv"})
	for b.Loop() {
		t, ok := book.OpenToken(s, now)
		if !ok {
			b.Fatal("token refused")
		}
		if _, ok := book.Grant(t, now); !ok {
			b.Fatal("grant refused")
		}
	}
}
