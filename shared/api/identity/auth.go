package identity

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"

	"keyport/shared/credentials"
	"keyport/shared/fault"
)

// AuthRequest is POST /v3/auth/tokens' body: {"auth": {"identity": {...}, "scope": {...}}}.
type AuthRequest struct {
	Methods  []string
	Password *PasswordAuth
	AppCred  *AppCredAuth
	Token    string // the token method's token id
	Scope    *credentials.ProjectRef
}

// PasswordAuth is the password method: a user and their password.
type PasswordAuth struct {
	User     credentials.UserRef
	Password string
}

// AppCredAuth is the application_credential method.
type AppCredAuth struct {
	Ref    credentials.AppCredRef
	Secret string
}

// The wire shapes, decoded as Keystone's JSON schema checks them: unknown members are ignored,
// members of the wrong type refused.
type (
	authBody struct {
		Auth *struct {
			Identity *struct {
				Methods  []string      `json:"methods"`
				Password *passwordBody `json:"password"`
				AppCred  *appCredBody  `json:"application_credential"`
				Token    *struct {
					ID *string `json:"id"`
				} `json:"token"`
			} `json:"identity"`
			Scope json.RawMessage `json:"scope"`
		} `json:"auth"`
	}
	domainBody struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	userBody struct {
		ID       string      `json:"id"`
		Name     string      `json:"name"`
		Domain   *domainBody `json:"domain"`
		Password *string     `json:"password"`
	}
	passwordBody struct {
		User *userBody `json:"user"`
	}
	appCredBody struct {
		ID     string    `json:"id"`
		Name   string    `json:"name"`
		Secret *string   `json:"secret"`
		User   *userBody `json:"user"`
	}
	scopeBody struct {
		Project *struct {
			ID     string      `json:"id"`
			Name   string      `json:"name"`
			Domain *domainBody `json:"domain"`
		} `json:"project"`
		Domain json.RawMessage `json:"domain"`
		System json.RawMessage `json:"system"`
		Trust  json.RawMessage `json:"OS-TRUST:trust"`
	}
)

// The methods keyport authenticates.
const (
	MethodPassword = "password"
	MethodAppCred  = "application_credential"
	MethodToken    = "token"
)

// ErrUnsupportedScope is a scope keyport issues no token for (a domain, the system, a trust,
// "unscoped"): Keystone answers 401 when the user has no role there, as here.
var ErrUnsupportedScope = fault.New(fault.Unauthenticated, "scope", "only project scopes are issued")

// DecodeAuth reads an authentication request. A body that is not such a request is 400
// naming the member at fault; a method keyport does not support is 401, as Keystone answers
// an unknown method. Nothing it returns quotes a password or secret.
func DecodeAuth(data []byte) (AuthRequest, error) {
	var b authBody
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&b); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return AuthRequest{}, fault.Newf(fault.Invalid, typ.Field, "must be %s", jsonType(typ.Type.Kind().String()))
		}
		return AuthRequest{}, fault.New(fault.Malformed, "", "the body is not a JSON object")
	}
	switch {
	case b.Auth == nil:
		return AuthRequest{}, fault.New(fault.Missing, "auth", "'auth' is a required property")
	case b.Auth.Identity == nil:
		return AuthRequest{}, fault.New(fault.Missing, "auth.identity", "'identity' is a required property")
	case len(b.Auth.Identity.Methods) == 0:
		return AuthRequest{}, fault.New(fault.Missing, "auth.identity.methods", "'methods' is a required property with at least one method")
	}
	id := b.Auth.Identity
	req := AuthRequest{Methods: id.Methods}
	if len(id.Methods) != 1 || !slices.Contains([]string{MethodPassword, MethodAppCred, MethodToken}, id.Methods[0]) {
		// Keystone: "Attempted to authenticate with an unsupported method." (401)
		return AuthRequest{}, fault.New(fault.Unauthenticated, "auth.identity.methods", "unsupported method")
	}
	switch id.Methods[0] {
	case MethodPassword:
		if id.Password == nil || id.Password.User == nil {
			return AuthRequest{}, fault.New(fault.Missing, "auth.identity.password.user", "'user' is a required property")
		}
		u := id.Password.User
		ref, err := userRef(u, "auth.identity.password.user")
		if err != nil {
			return AuthRequest{}, err
		}
		if u.Password == nil {
			return AuthRequest{}, fault.New(fault.Missing, "auth.identity.password.user.password", "'password' is a required property")
		}
		req.Password = &PasswordAuth{User: ref, Password: *u.Password}
	case MethodAppCred:
		a := id.AppCred
		const field = "auth.identity.application_credential"
		if a == nil {
			return AuthRequest{}, fault.New(fault.Missing, field, "'application_credential' is a required property")
		}
		if a.Secret == nil {
			return AuthRequest{}, fault.New(fault.Missing, field+".secret", "'secret' is a required property")
		}
		ref := credentials.AppCredRef{ID: a.ID, Name: a.Name}
		if a.ID == "" {
			if a.Name == "" || a.User == nil {
				return AuthRequest{}, fault.New(fault.Missing, field+".id", "'id', or 'name' with 'user', is required")
			}
			var err error
			if ref.User, err = userRef(a.User, field+".user"); err != nil {
				return AuthRequest{}, err
			}
		}
		req.AppCred = &AppCredAuth{Ref: ref, Secret: *a.Secret}
	case MethodToken:
		if id.Token == nil || id.Token.ID == nil || *id.Token.ID == "" {
			return AuthRequest{}, fault.New(fault.Missing, "auth.identity.token.id", "'id' is a required property")
		}
		req.Token = *id.Token.ID
	}
	scope, err := decodeScope(b.Auth.Scope)
	if err != nil {
		return AuthRequest{}, err
	}
	req.Scope = scope
	return req, nil
}

// userRef reads a user given by id, or by name with a domain by id or name.
func userRef(u *userBody, field string) (credentials.UserRef, error) {
	if u.ID != "" {
		return credentials.UserRef{ID: u.ID}, nil
	}
	if u.Name == "" {
		return credentials.UserRef{}, fault.New(fault.Missing, field+".id", "'id' or 'name' is required")
	}
	if u.Domain == nil || (u.Domain.ID == "" && u.Domain.Name == "") {
		return credentials.UserRef{}, fault.New(fault.Missing, field+".domain", "a user given by name needs a domain 'id' or 'name'")
	}
	return credentials.UserRef{Name: u.Name, DomainID: u.Domain.ID, DomainName: u.Domain.Name}, nil
}

// decodeScope reads the scope: none (nil: the user's default project), a project by id or by
// name (with a domain, or none, meaning the user's), or a scope keyport does not issue.
func decodeScope(raw json.RawMessage) (*credentials.ProjectRef, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if string(raw) == `"unscoped"` {
		return nil, ErrUnsupportedScope
	}
	var s scopeBody
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fault.New(fault.Invalid, "auth.scope", "must be an object")
	}
	if s.Project == nil {
		if len(s.Domain) > 0 || len(s.System) > 0 || len(s.Trust) > 0 {
			return nil, ErrUnsupportedScope
		}
		return nil, fault.New(fault.Missing, "auth.scope.project", "a scope names a 'project'")
	}
	p := s.Project
	if p.ID != "" {
		return &credentials.ProjectRef{ID: p.ID}, nil
	}
	if p.Name == "" {
		return nil, fault.New(fault.Missing, "auth.scope.project.id", "'id' or 'name' is required")
	}
	ref := &credentials.ProjectRef{Name: p.Name}
	if p.Domain != nil {
		ref.DomainID, ref.DomainName = p.Domain.ID, p.Domain.Name
	}
	return ref, nil
}

// jsonType names a Go kind as JSON does.
func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	case "bool":
		return "a boolean"
	}
	return "another type"
}
