//go:build invoke

package invoke

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// staticSecretID is the secret id in the key manager events: no secret has it, so the first
// invocation of each is a 404 in Barbican's envelope.
const staticSecretID = "6f9619ff-8b86-4d11-b42d-00cf4fc964ff"

// keyManagerCases chain the K5 and upstream Barbican functions in table order: each layout's
// create makes a secret the later functions read, update and delete.
var keyManagerCases = map[string][]step{
	"k5-getsecret":              {{check: status(http.StatusNotFound)}, {event: withK5Secret, check: checkMetadata}},
	"k5-getsecretpayload":       {{event: withK5Secret, check: checkPayload}},
	"k5-listsecrets":            {{check: checkList}},
	"k5-updatesecret":           {{check: status(http.StatusNotFound)}, {event: withK5Secret, check: status(http.StatusConflict)}},
	"k5-deletesecret":           {{event: withK5Secret, check: status(http.StatusNoContent)}, {event: withK5Secret, check: status(http.StatusNotFound)}},
	"barbican-createsecret":     {{check: checkBarbicanCreate}},
	"barbican-getsecret":        {{event: withBarbicanSecret, check: checkMetadata}},
	"barbican-getsecretpayload": {{event: withBarbicanSecret, check: status(http.StatusNotFound)}},
	"barbican-listsecrets":      {{check: checkList}},
	"barbican-updatesecret":     {{event: withBarbicanSecret, check: status(http.StatusNoContent)}, {event: withBarbicanSecret, check: status(http.StatusConflict)}},
	"barbican-deletesecret":     {{event: withBarbicanSecret, check: status(http.StatusNoContent)}},
}

// metadataSteps are the metadata functions' steps on a layout's created secret, in table order:
// read (empty), replace, add a key, read a key, change it, delete it.
func metadataSteps(with func(*testing.T, []byte, *chained) []byte) map[string][]step {
	return map[string][]step{
		"getsecretmetadata":     {{check: status(http.StatusNotFound)}, {event: with, check: checkJSON(http.StatusOK, "metadata")}},
		"replacesecretmetadata": {{event: with, check: checkJSON(http.StatusCreated, "metadata_ref")}},
		"createsecretmetadatum": {{event: with, check: checkJSON(http.StatusCreated, "key")}, {event: with, check: status(http.StatusConflict)}},
		"getsecretmetadatum":    {{event: with, check: checkJSON(http.StatusOK, "value")}},
		"updatesecretmetadatum": {{event: with, check: checkJSON(http.StatusOK, "value")}},
		"deletesecretmetadatum": {{event: with, check: status(http.StatusNoContent)}, {event: with, check: status(http.StatusNotFound)}},
	}
}

// keyManagerSteps are the steps of a key manager function, nil for any other.
func keyManagerSteps(name string) []step {
	if steps, ok := keyManagerCases[name]; ok {
		return steps
	}
	if rest, ok := strings.CutPrefix(name, "k5-"); ok {
		return metadataSteps(withK5Secret)[rest]
	}
	if rest, ok := strings.CutPrefix(name, "barbican-"); ok {
		return metadataSteps(withBarbicanSecret)[rest]
	}
	return nil
}

// checkJSON checks the status and that the JSON body has member.
func checkJSON(want int, member string) func(*testing.T, awsevents.APIGatewayV2HTTPResponse, *chained) {
	return func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
		if m := body(t, resp, want, "application/json"); m[member] == nil {
			t.Errorf("got %s, want a %q member", resp.Body, member)
		}
	}
}

func withK5Secret(t *testing.T, signed []byte, c *chained) []byte {
	if c.k5SecretID == "" {
		t.Skip("k5-createsecret returned no secret")
	}
	return replaceAll(signed, staticSecretID, c.k5SecretID)
}

func withBarbicanSecret(t *testing.T, signed []byte, c *chained) []byte {
	if c.barbicanID == "" {
		t.Skip("barbican-createsecret returned no secret")
	}
	return replaceAll(signed, staticSecretID, c.barbicanID)
}

// status checks the status; a body, if any, must be Barbican's JSON.
func status(want int) func(*testing.T, awsevents.APIGatewayV2HTTPResponse, *chained) {
	return func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
		if want == http.StatusNoContent {
			if resp.StatusCode != want || resp.Body != "" {
				t.Errorf("got %d %q, want 204 without a body", resp.StatusCode, resp.Body)
			}
			return
		}
		m := body(t, resp, want, "application/json")
		wantString(t, m, "description", nonEmpty)
	}
}

func checkMetadata(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	wantString(t, m, "secret_ref", regexp.MustCompile(`^https://[a-z0-9]+\.execute-api\.eu-west-1\.amazonaws\.com/v1/.*secrets/[0-9a-f-]{36}$`))
	wantString(t, m, "status", regexp.MustCompile(`^ACTIVE$`))
	wantString(t, m, "created", regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$`))
}

func checkPayload(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	if resp.StatusCode != http.StatusOK || resp.Body != "hello from keyport" || resp.Headers["Content-Type"] != "application/octet-stream" {
		t.Errorf("got %d %q (%s), want 200 hello from keyport as application/octet-stream", resp.StatusCode, resp.Body, resp.Headers["Content-Type"])
	}
}

func checkList(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	if n, _ := m["total"].(float64); n < 1 {
		t.Errorf("got total %v, want the secret created before", m["total"])
	}
}

func checkBarbicanCreate(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusCreated, "application/json")
	ref := wantString(t, m, "secret_ref", regexp.MustCompile(`^https://b1c2d3e4f5\.execute-api\.eu-west-1\.amazonaws\.com/v1/secrets/[0-9a-f-]{36}$`))
	if len(ref) >= 36 {
		c.barbicanID = ref[len(ref)-36:]
	}
}
