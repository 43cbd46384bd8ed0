package issuetoken_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/functions/identity/issuetoken"
	"keyport/functions/identity/validatetoken"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/web"
)

const (
	appSecret = "app-secret-Zq9"
	otherPW   = "other-password-Zq9"
)

// book is the development user plus a reader-only user on another project and an
// application credential of the development user.
func book(t *testing.T) *credentials.Book {
	t.Helper()
	devHash, _ := credentials.HashPassword(credentials.DevUserPassword)
	otherHash, _ := credentials.HashPassword(otherPW)
	secHash, _ := credentials.HashPassword(appSecret)
	b, err := credentials.FromDocument(credentials.Document{
		Users: []credentials.User{
			{ID: credentials.DevUserID, Name: credentials.DevUserName, Password: devHash, Projects: []credentials.Project{
				{ID: credentials.DevK5Tenant, Name: credentials.DevProjectName, Roles: []string{"admin", "member", "reader"}},
				{ID: "p-second", Name: "second", Roles: []string{"reader"}}}},
			{ID: "u-other", Name: "other", Password: otherHash, Projects: []credentials.Project{{ID: "p-other", Name: "other", Roles: []string{"member"}}}},
		},
		ApplicationCredentials: []credentials.ApplicationCredential{{ID: "ac-1", Name: "ci", Secret: secHash, User: credentials.DevUserID,
			Project: credentials.DevK5Tenant, Roles: []string{"member"}}},
		Keystone: credentials.Keystone{TokenKeys: []string{"MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE="}, Region: "kp-east"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type server struct {
	h           http.Handler
	logs, trail bytes.Buffer
	now         time.Time
}

func newServer(t *testing.T) *server {
	s := &server{now: time.Now().UTC()}
	deps := operation.Deps{Store: store.Restrict(nil, 0), Creds: book(t), Now: func() time.Time { return s.now }}
	mux := operation.Mux(operation.Identity, []operation.Row{issuetoken.Row, validatetoken.Row}, deps, operation.Wrappers{})
	s.h = web.Logged(slog.New(slog.NewJSONHandler(&s.logs, nil)), audit.NewWriter(&s.trail), "identity", mux)
	return s
}

func (s *server) do(method, path, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Host = "keyport.test:8080"
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, r)
	return rec
}

func passwordBody(user, password, scope string) string {
	user = strings.TrimSuffix(user, "}") + `,"password":"` + password + `"}`
	b := `{"auth":{"identity":{"methods":["password"],"password":{"user":` + user + `}}`
	if scope != "" {
		b += `,"scope":` + scope
	}
	return b + `}}`
}

type tokenDoc struct {
	Token struct {
		Methods []string `json:"methods"`
		User    struct {
			ID     string `json:"id"`
			Domain struct{ ID, Name string }
		} `json:"user"`
		Project struct{ ID, Name string } `json:"project"`
		Roles   []struct{ Name string }   `json:"roles"`
		Catalog []struct {
			Type      string `json:"type"`
			Endpoints []struct {
				Interface, Region, URL string
			} `json:"endpoints"`
		} `json:"catalog"`
		ExpiresAt string   `json:"expires_at"`
		IssuedAt  string   `json:"issued_at"`
		AuditIDs  []string `json:"audit_ids"`
	} `json:"token"`
}

func issued(t *testing.T, rec *httptest.ResponseRecorder) (string, tokenDoc) {
	t.Helper()
	if rec.Code != http.StatusCreated {
		t.Fatalf("got %d %s, want 201", rec.Code, rec.Body)
	}
	tok := rec.Header().Get("X-Subject-Token")
	var doc tokenDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || tok == "" {
		t.Fatalf("got token %q body %s", tok, rec.Body)
	}
	return tok, doc
}

const devByName = `{"name":"keyport-dev","domain":{"id":"default"}}`

func TestIssuePasswordToken(t *testing.T) {
	s := newServer(t)
	for _, user := range []string{devByName, `{"name":"keyport-dev","domain":{"name":"Default"}}`, `{"id":"` + credentials.DevUserID + `"}`} {
		for _, scope := range []string{"", `{"project":{"id":"` + credentials.DevK5Tenant + `"}}`,
			`{"project":{"name":"keyport-dev","domain":{"id":"default"}}}`, `{"project":{"name":"keyport-dev","domain":{"name":"Default"}}}`,
			`{"project":{"name":"keyport-dev"}}`} {
			_, doc := issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(user, credentials.DevUserPassword, scope)))
			tk := doc.Token
			if tk.User.ID != credentials.DevUserID || tk.Project.ID != credentials.DevK5Tenant || len(tk.Roles) != 3 ||
				tk.Methods[0] != "password" || len(tk.AuditIDs) != 1 || tk.User.Domain.ID != "default" {
				t.Errorf("user %s scope %s: got %+v", user, scope, tk)
			}
		}
	}
	_, doc := issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(devByName, credentials.DevUserPassword, ""), "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example"))
	tk := doc.Token
	exp, err1 := time.Parse(time.RFC3339Nano, tk.ExpiresAt)
	iss, err2 := time.Parse(time.RFC3339Nano, tk.IssuedAt)
	if err1 != nil || err2 != nil || exp.Sub(iss) != time.Hour || !strings.HasSuffix(tk.ExpiresAt, "Z") {
		t.Errorf("times %q %q, want one hour apart, in UTC with Z", tk.IssuedAt, tk.ExpiresAt)
	}
	if len(tk.Catalog) != 2 || tk.Catalog[0].Type != "key-manager" || len(tk.Catalog[0].Endpoints) != 3 {
		t.Fatalf("catalog %+v", tk.Catalog)
	}
	for _, e := range tk.Catalog[0].Endpoints {
		if e.URL != "https://api.example" || e.Region != "kp-east" {
			t.Errorf("key-manager endpoint %+v, want https://api.example in kp-east", e)
		}
	}
	if tk.Catalog[1].Type != "identity" || tk.Catalog[1].Endpoints[0].URL != "https://api.example/v3" {
		t.Errorf("identity entry %+v", tk.Catalog[1])
	}
	// A project the user only reads is still a scope it may have.
	_, doc = issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(devByName, credentials.DevUserPassword, `{"project":{"id":"p-second"}}`)))
	if doc.Token.Project.ID != "p-second" || len(doc.Token.Roles) != 1 || doc.Token.Roles[0].Name != "reader" {
		t.Errorf("reader scope: got %+v", doc.Token)
	}
}

func TestIssueApplicationCredentialAndRescopedTokens(t *testing.T) {
	s := newServer(t)
	for _, ac := range []string{`{"id":"ac-1","secret":"` + appSecret + `"}`,
		`{"name":"ci","user":{"name":"keyport-dev","domain":{"id":"default"}},"secret":"` + appSecret + `"}`,
		`{"name":"ci","user":{"id":"` + credentials.DevUserID + `"},"secret":"` + appSecret + `"}`} {
		_, doc := issued(t, s.do("POST", "/v3/auth/tokens", `{"auth":{"identity":{"methods":["application_credential"],"application_credential":`+ac+`}}}`))
		if doc.Token.Project.ID != credentials.DevK5Tenant || len(doc.Token.Roles) != 1 || doc.Token.Roles[0].Name != "member" {
			t.Errorf("%s: got %+v, want the credential's project and its one role", ac, doc.Token)
		}
	}
	// A scope naming another project than the credential's is refused, as Keystone refuses any.
	rec := s.do("POST", "/v3/auth/tokens", `{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"ac-1","secret":"`+appSecret+`"}},"scope":{"project":{"id":"p-second"}}}}`)
	if rec.Code != 401 {
		t.Errorf("application credential with another scope: got %d", rec.Code)
	}

	tok, first := issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(devByName, credentials.DevUserPassword, "")))
	s.now = s.now.Add(10 * time.Minute)
	_, re := issued(t, s.do("POST", "/v3/auth/tokens", `{"auth":{"identity":{"methods":["token"],"token":{"id":"`+tok+`"}},"scope":{"project":{"id":"p-second"}}}}`))
	if re.Token.Project.ID != "p-second" || re.Token.User.ID != credentials.DevUserID || re.Token.ExpiresAt != first.Token.ExpiresAt ||
		strings.Join(re.Token.Methods, ",") != "password,token" {
		t.Errorf("rescoped: got %+v, want p-second, the same user and expiry, methods password,token", re.Token)
	}
	rec = s.do("POST", "/v3/auth/tokens", `{"auth":{"identity":{"methods":["token"],"token":{"id":"`+tok+`"}},"scope":{"project":{"id":"p-other"}}}}`)
	if rec.Code != 401 {
		t.Errorf("rescoping to a project without a role: got %d", rec.Code)
	}
}

// TestIssueRefusals: every malformed body is 400 naming the member; every refused credential
// the same 401; nothing is logged or audited that was a password, a secret or a token.
func TestIssueRefusals(t *testing.T) {
	s := newServer(t)
	good, _ := issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(devByName, credentials.DevUserPassword, "")))
	malformed := map[string]string{
		``:                         "",
		`not json`:                 "",
		`[]`:                       "",
		`{}`:                       "auth",
		`{"auth":{}}`:              "auth.identity",
		`{"auth":{"identity":{}}}`: "auth.identity.methods",
		`{"auth":{"identity":{"methods":"password"}}}`:                                                                     "auth.identity.methods",
		`{"auth":{"identity":{"methods":["password"]}}}`:                                                                   "auth.identity.password.user",
		`{"auth":{"identity":{"methods":["password"],"password":{"user":{"password":"x"}}}}}`:                              "auth.identity.password.user.id",
		`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"keyport-dev","password":"x"}}}}}`:         "auth.identity.password.user.domain",
		`{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u"}}}}}`:                                    "auth.identity.password.user.password",
		`{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u","password":7}}}}}`:                       "auth.identity.password.user.password",
		`{"auth":{"identity":{"methods":["application_credential"]}}}`:                                                     "auth.identity.application_credential",
		`{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"ac-1"}}}}`:              "auth.identity.application_credential.secret",
		`{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"name":"ci","secret":"s"}}}}`: "auth.identity.application_credential.id",
		`{"auth":{"identity":{"methods":["token"],"token":{}}}}`:                                                           "auth.identity.token.id",
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"x"}},"scope":7}}`:                                         "auth.scope",
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"x"}},"scope":{}}}`:                                        "auth.scope.project",
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"x"}},"scope":{"project":{}}}}`:                            "auth.scope.project.id",
	}
	for body, field := range malformed {
		rec := s.do("POST", "/v3/auth/tokens", body)
		var env struct {
			Error struct {
				Code           int
				Title, Message string
			}
		}
		if rec.Code != 400 || json.Unmarshal(rec.Body.Bytes(), &env) != nil || env.Error.Code != 400 || !strings.Contains(env.Error.Message, field) {
			t.Errorf("%s: got %d %s, want 400 naming %q", body, rec.Code, rec.Body, field)
		}
	}
	if rec := s.do("POST", "/v3/auth/tokens", passwordBody(devByName, credentials.DevUserPassword, ""), "Content-Type", "text/plain"); rec.Code != 400 {
		t.Errorf("text/plain body: got %d", rec.Code)
	}
	refused := []string{
		passwordBody(devByName, "wrong-Zq9", ""),
		passwordBody(`{"name":"nobody-Zq9","domain":{"id":"default"}}`, credentials.DevUserPassword, ""),
		passwordBody(`{"name":"keyport-dev","domain":{"id":"elsewhere"}}`, credentials.DevUserPassword, ""),
		passwordBody(`{"id":"u-other"}`, credentials.DevUserPassword, ""),
		passwordBody(devByName, credentials.DevUserPassword, `{"project":{"id":"p-other"}}`),
		passwordBody(devByName, credentials.DevUserPassword, `{"project":{"name":"keyport-dev","domain":{"id":"elsewhere"}}}`),
		passwordBody(devByName, credentials.DevUserPassword, `{"domain":{"id":"default"}}`),
		passwordBody(devByName, credentials.DevUserPassword, `{"system":{"all":true}}`),
		passwordBody(devByName, credentials.DevUserPassword, `"unscoped"`),
		`{"auth":{"identity":{"methods":["totp"],"totp":{}}}}`,
		`{"auth":{"identity":{"methods":["password","totp"]}}}`,
		`{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"ac-1","secret":"wrong-Zq9"}}}}`,
		`{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"ac-nope","secret":"` + appSecret + `"}}}}`,
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"` + good[:len(good)-2] + `"}}}}`,
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"keyport-local-dev"}}}}`,
	}
	var first string
	for _, body := range refused {
		rec := s.do("POST", "/v3/auth/tokens", body)
		if rec.Code != 401 || rec.Header().Get("X-Subject-Token") != "" {
			t.Errorf("%s: got %d %s, want 401 and no token", body, rec.Code, rec.Body)
		}
		if first == "" {
			first = rec.Body.String()
		} else if rec.Body.String() != first {
			t.Errorf("%s: got %s, want the same 401 body as a wrong password: %s", body, rec.Body, first)
		}
	}
	// An expired token rescopes to nothing.
	s.now = s.now.Add(2 * time.Hour)
	if rec := s.do("POST", "/v3/auth/tokens", `{"auth":{"identity":{"methods":["token"],"token":{"id":"`+good+`"}}}}`); rec.Code != 401 {
		t.Errorf("expired token: got %d", rec.Code)
	}
	for _, secret := range []string{credentials.DevUserPassword, appSecret, "Zq9", good} {
		if strings.Contains(s.logs.String(), secret) || strings.Contains(s.trail.String(), secret) {
			t.Errorf("the log or the audit trail holds %.12s…", secret)
		}
	}
}

// TestIssueAudit: one event per token request, the user id as principal, the project as account.
func TestIssueAudit(t *testing.T) {
	s := newServer(t)
	issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(devByName, credentials.DevUserPassword, "")))
	s.do("POST", "/v3/auth/tokens", passwordBody(devByName, "wrong", ""))
	lines := strings.Split(strings.TrimSpace(s.trail.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d events, want 2: %s", len(lines), s.trail.String())
	}
	for i, want := range []int{201, 401} {
		var e map[string]any
		_ = json.Unmarshal([]byte(lines[i]), &e)
		if e["principal"] != credentials.DevUserID || e["status"] != float64(want) {
			t.Errorf("event %d = %v, want principal %s and status %d", i, e, credentials.DevUserID, want)
		}
	}
}

func TestValidateToken(t *testing.T) {
	s := newServer(t)
	tok, _ := issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(devByName, credentials.DevUserPassword, "")))
	other, _ := issued(t, s.do("POST", "/v3/auth/tokens", passwordBody(`{"id":"u-other"}`, otherPW, "")))
	rec := s.do("GET", "/v3/auth/tokens", "", "X-Auth-Token", other, "X-Subject-Token", tok)
	var doc tokenDoc
	if rec.Code != 200 || rec.Header().Get("X-Subject-Token") != tok || json.Unmarshal(rec.Body.Bytes(), &doc) != nil || doc.Token.User.ID != credentials.DevUserID {
		t.Errorf("GET: got %d %s", rec.Code, rec.Body)
	}
	if rec := s.do("HEAD", "/v3/auth/tokens", "", "X-Auth-Token", tok, "X-Subject-Token", tok); rec.Code != 200 {
		t.Errorf("HEAD: got %d", rec.Code)
	}
	for _, tt := range []struct {
		caller, subject string
		status          int
	}{
		{"", tok, 401}, {credentials.DevK5Token, tok, 401}, {tok[:20], tok, 401},
		{tok, "", 404}, {tok, tok + "x", 404}, {tok, validatetoken.ExampleToken, 404},
	} {
		if rec := s.do("GET", "/v3/auth/tokens", "", "X-Auth-Token", tt.caller, "X-Subject-Token", tt.subject); rec.Code != tt.status {
			t.Errorf("caller %.8s subject %.8s: got %d, want %d", tt.caller, tt.subject, rec.Code, tt.status)
		}
	}
	s.now = s.now.Add(time.Hour)
	if rec := s.do("GET", "/v3/auth/tokens", "", "X-Auth-Token", tok, "X-Subject-Token", tok); rec.Code != 401 {
		t.Errorf("an expired caller: got %d", rec.Code)
	}
}
