package keymanager

import "keyport/shared/credentials"

// ExampleSecretID is the secret every operation's example request (its event under events/)
// addresses.
const ExampleSecretID = "6f9619ff-8b86-4d11-b42d-00cf4fc964ff"

// ExamplePath is the layout's path of rest ("/secrets…") for the development project, as an
// operation's example request has it.
func (l Layout) ExamplePath(rest string) string {
	if l.Upstream {
		return "/v1" + rest
	}
	return "/v1/" + credentials.DevK5Tenant + rest
}

// ExampleHeader is what gophercloud sends with the development token (Accept: application/json,
// its User-Agent, X-Auth-Token) and, upstream, the X-Project-Id python-barbicanclient adds,
// overridden and completed by the name, value pairs of more (lower-case names).
func (l Layout) ExampleHeader(more ...string) map[string]string {
	h := map[string]string{"accept": "application/json", "user-agent": "gophercloud/v2.15.0", "x-auth-token": credentials.DevK5Token}
	if l.Upstream {
		h["x-project-id"] = credentials.DevK5Tenant
	}
	for i := 0; i+1 < len(more); i += 2 {
		h[more[i]] = more[i+1]
	}
	return h
}
