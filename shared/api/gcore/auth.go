package gcore

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
)

// scheme is the Authorization scheme of a Gcore permanent API token. The SDKs send "APIKey",
// the docs "apikey" (docs/wire/gcore.md, "Authentication"); the word is matched
// case-insensitively, as RFC 9110 §11.1 says schemes are.
const scheme = "apikey"

// The authentication faults. Messages follow Gcore's (which are Django REST framework's); none
// of them repeats any part of what the client sent, since that may be a token. Gcore's own
// "Bad permanent token: <partial key>" echoes part of the key; we do not.
var (
	errNotProvided = authFault("NotAuthenticated", "Authentication credentials were not provided.")
	errBadScheme   = authFault("AuthenticationFailed", "Invalid token header. Send 'Authorization: APIKey <token>'.")
	errNoToken     = authFault("AuthenticationFailed", "Invalid token header. No credentials provided.")
	errTokenSpaces = authFault("AuthenticationFailed", "Invalid token header. Token string should not contain spaces.")
	errManyHeaders = authFault("AuthenticationFailed", "Invalid token header. Send exactly one Authorization header.")
	errBadToken    = authFault("AuthenticationFailed", "Bad permanent token.")
)

func authFault(class, message string) *fault.Error {
	return fault.New(fault.Unauthenticated, "", message).WithCode(class)
}

// ParseAuthorization returns the token of an Authorization value of the form
// "<scheme> <token>": scheme "apikey" in any letter case, one or more spaces, then a token of
// visible characters. Anything else, including a missing or empty value, is a
// fault.Unauthenticated whose message never contains the value.
func ParseAuthorization(value string) (string, error) {
	if value == "" {
		return "", errNotProvided
	}
	word, rest, _ := strings.Cut(value, " ")
	if !isScheme(word) {
		return "", errBadScheme
	}
	token := strings.TrimLeft(rest, " ")
	if token == "" {
		return "", errNoToken
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c == 0x7f {
			return "", errTokenSpaces
		}
	}
	return token, nil
}

// isScheme compares word with "apikey" ignoring ASCII case only. strings.EqualFold would also
// fold Unicode look-alikes (the Kelvin sign folds to "k"), which no client sends.
func isScheme(word string) bool {
	if len(word) != len(scheme) {
		return false
	}
	for i := 0; i < len(word); i++ {
		if word[i]|0x20 != scheme[i] {
			return false
		}
	}
	return true
}

// Authenticate finds the caller's grant from r's Authorization header. The token is looked up
// with credentials.Book.Gcore, which compares digests in constant time. book is never nil:
// operation.Row.Restrict refuses to build a handler without one.
func Authenticate(r *http.Request, book *credentials.Book) (credentials.GcoreKey, error) {
	values := r.Header.Values("Authorization")
	if len(values) > 1 {
		return credentials.GcoreKey{}, errManyHeaders
	}
	var value string
	if len(values) == 1 {
		value = values[0]
	}
	token, err := ParseAuthorization(value)
	if err != nil {
		return credentials.GcoreKey{}, err
	}
	key, ok := book.Gcore(token)
	audit.SetBearer(r.Context(), book.AuditKey(), token, "") // the account is the project, see PathScope
	if !ok {
		return credentials.GcoreKey{}, errBadToken
	}
	return key, nil
}

// Authorize checks that key reaches s. A refusal is a fault.Forbidden, which renders as
// NotFoundError (see classify); it names only the ids the client itself sent.
func Authorize(key credentials.GcoreKey, s Scope) error {
	if !slices.Contains(key.Projects, s.Project) {
		return fault.New(fault.Forbidden, "", fmt.Sprintf("Project %d could not be found", s.Project))
	}
	if !key.Allows(s.Project, s.Region) {
		return fault.New(fault.Forbidden, "", fmt.Sprintf("Region %d could not be found", s.Region))
	}
	return nil
}
