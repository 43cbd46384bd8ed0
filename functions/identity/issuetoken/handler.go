// Package issuetoken is Keystone v3's POST /v3/auth/tokens, so that gophercloud, the openstack
// CLI and Terraform authenticate against keyport from an ordinary cloud configuration: methods
// password, application_credential and token (rescoping), a project scope by id or by name, or
// none (the user's default project). It answers 201 with the token in X-Subject-Token and
// Keystone's token document, its catalog naming the key manager (docs/wire/identity.md).
//
// Every refused credential gets the same 401 after the same work: one argon2id check runs
// whether or not the user exists (credentials.Book.CheckPassword). The audit event's principal
// is the user id; no password, secret or token reaches a log, an event or an error.
package issuetoken

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"time"

	"keyport/shared/api/identity"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/web"
)

// Row is the token request.
var Row = operation.Row{
	Name: "identity.IssueToken", Function: "identity-issuetoken", API: "Barbican", Dialect: operation.Identity,
	Service: "identity", Route: "POST /v3/auth/tokens",
	New: func(d operation.Deps) http.Handler { return handler{creds: d.Creds, now: d.Now} },
	Example: &operation.Example{Path: "/v3/auth/tokens",
		Header: map[string]string{"content-type": "application/json", "accept": "application/json", "user-agent": "gophercloud/v2.15.0"},
		Body: `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"` + credentials.DevUserName +
			`","domain":{"id":"default"},"password":"` + credentials.DevUserPassword + `"}}},` +
			`"scope":{"project":{"id":"` + credentials.DevK5Tenant + `"}}}}`},
}

// maxBody is Keystone's default max_request_body_size.
const maxBody = 114688

type handler struct {
	creds *credentials.Book
	now   func() time.Time
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, body, err := h.issue(r)
	if err != nil {
		identity.WriteError(w, r, err)
		return
	}
	w.Header().Set(identity.SubjectTokenHeader, token)
	identity.WriteJSON(w, r, http.StatusCreated, body)
}

var errUnauthorized = fault.New(fault.Unauthenticated, "", "")

func (h handler) issue(r *http.Request) (string, identity.TokenBody, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !identity.IsJSON(ct) {
		return "", identity.TokenBody{}, fault.New(fault.UnsupportedType, "Content-Type", "must be application/json")
	}
	data, err := web.ReadBody(r, maxBody)
	if err != nil {
		return "", identity.TokenBody{}, err
	}
	req, err := identity.DecodeAuth(data)
	clear(data) // it holds the password or secret
	if err != nil {
		return "", identity.TokenBody{}, err
	}
	now := h.now().UTC()
	t := credentials.Token{Methods: req.Methods, Issued: now, Expires: now.Add(h.creds.TokenLifetime())}
	var appCredName string
	switch {
	case req.Password != nil:
		u, ok := h.creds.CheckPassword(req.Password.User, req.Password.Password)
		if !ok {
			if known, found := h.creds.KeystoneUserByRef(req.Password.User); found {
				audit.SetPrincipal(r.Context(), known, "")
			}
			return "", identity.TokenBody{}, errUnauthorized
		}
		t.User = u.ID
	case req.AppCred != nil:
		a, u, ok := h.creds.CheckApplicationCredential(req.AppCred.Ref, req.AppCred.Secret, now)
		if !ok {
			return "", identity.TokenBody{}, errUnauthorized
		}
		// Keystone refuses any scope with an application credential; older gophercloud sends
		// its own project as one, which is accepted (docs/wire/identity.md).
		if req.Scope != nil && req.Scope.ID != a.Project {
			return "", identity.TokenBody{}, errUnauthorized
		}
		t.User, t.AppCred, appCredName = u.ID, a.ID, a.Name
		req.Scope = &credentials.ProjectRef{ID: a.Project}
	default:
		old, ok := h.creds.OpenToken(req.Token, now)
		if !ok {
			return "", identity.TokenBody{}, errUnauthorized
		}
		// Rescoping keeps the user, the credential it came through and the expiry, as Keystone
		// does: a token never extends its own life.
		t.User, t.AppCred, t.Expires = old.User, old.AppCred, old.Expires
		t.Methods = append(slices.DeleteFunc(slices.Clone(old.Methods), func(m string) bool { return m == identity.MethodToken }), identity.MethodToken)
		if req.Scope == nil {
			req.Scope = &credentials.ProjectRef{ID: old.Project}
		}
		if t.AppCred != "" && req.Scope.ID != old.Project {
			return "", identity.TokenBody{}, errUnauthorized // an application credential's tokens stay in its project
		}
		if a, ok := h.creds.ApplicationCredentialByID(t.AppCred); ok {
			appCredName = a.Name
		}
	}
	audit.SetPrincipal(r.Context(), t.User, "")
	scope := credentials.ProjectRef{}
	if req.Scope != nil {
		scope = *req.Scope
	}
	p, ok := h.creds.UserProject(t.User, scope)
	if !ok {
		return "", identity.TokenBody{}, errUnauthorized // no role on the project asked for
	}
	t.Project = p.ID
	audit.SetPrincipal(r.Context(), t.User, p.ID)
	var audit16 [16]byte
	_, _ = rand.Read(audit16[:])
	t.AuditID = base64.RawURLEncoding.EncodeToString(audit16[:])
	g, ok := h.creds.Grant(t, now)
	if !ok {
		return "", identity.TokenBody{}, errUnauthorized
	}
	sealed, err := h.creds.SealToken(t)
	if err != nil {
		return "", identity.TokenBody{}, err
	}
	return sealed, identity.Render(identity.PublicOrigin(r, h.creds), g, appCredName, h.creds.Region()), nil
}
