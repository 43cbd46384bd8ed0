//go:build invoke

package invoke

import (
	"net/http"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/functions/identity/validatetoken"
	"keyport/shared/credentials"
)

// identityCases: the token request issues a token from the credentials secret's development
// user, which the validation then accepts (its own event carries an expired token: 401), and
// the version documents answer with links to the API's host.
var identityCases = map[string][]step{
	"identity-issuetoken": {{check: checkIssued}},
	"identity-validatetoken": {
		{check: checkKeystoneStatus(http.StatusUnauthorized)},
		{event: withIssuedToken, check: checkValidated},
	},
	"identity-versions":          {{check: checkVersions(http.StatusMultipleChoices)}},
	"identity-keymanagerversion": {{check: checkVersions(http.StatusOK)}},
	"identity-identityversion":   {{check: checkVersions(http.StatusOK)}},
}

func checkIssued(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusCreated, "application/json")
	if u := field(m, "token.user.id"); u != credentials.DevUserID {
		t.Errorf("got user %v, want %s", u, credentials.DevUserID)
	}
	c.keystoneToken = resp.Headers["X-Subject-Token"]
	if c.keystoneToken == "" {
		t.Errorf("got no X-Subject-Token")
	}
}

func withIssuedToken(t *testing.T, signed []byte, c *chained) []byte {
	if c.keystoneToken == "" {
		t.Skip("identity-issuetoken returned no token")
	}
	return replaceAll(signed, validatetoken.ExampleToken, c.keystoneToken)
}

func checkValidated(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	if p := field(m, "token.project.id"); p != credentials.DevK5Tenant || resp.Headers["X-Subject-Token"] != c.keystoneToken {
		t.Errorf("got project %v and the subject token echoed %v", p, resp.Headers["X-Subject-Token"] == c.keystoneToken)
	}
}

func checkKeystoneStatus(want int) func(*testing.T, awsevents.APIGatewayV2HTTPResponse, *chained) {
	return func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
		m := body(t, resp, want, "application/json")
		if code := field(m, "error.code"); code != float64(want) {
			t.Errorf("got %s, want Keystone's envelope with code %d", resp.Body, want)
		}
	}
}

func checkVersions(want int) func(*testing.T, awsevents.APIGatewayV2HTTPResponse, *chained) {
	return func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
		body(t, resp, want, "application/json")
	}
}
