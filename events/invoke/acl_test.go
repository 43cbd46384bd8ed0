//go:build invoke

package invoke

import (
	"net/http"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// aclSteps are the ACL functions' steps on a layout's created secret, in table order: the
// default ACL, a replace, a merge, a delete (each event's own static id first: 404).
func aclSteps(with func(*testing.T, []byte, *chained) []byte) map[string][]step {
	return map[string][]step{
		"getsecretacl":     {{check: status(http.StatusNotFound)}, {event: with, check: checkJSON(http.StatusOK, "read")}},
		"replacesecretacl": {{event: with, check: checkJSON(http.StatusOK, "acl_ref")}},
		"updatesecretacl":  {{event: with, check: checkJSON(http.StatusOK, "acl_ref")}},
		"deletesecretacl":  {{event: with, check: emptyOK}},
	}
}

// keyManagerACLSteps are the steps of a key manager ACL function, nil for any other.
func keyManagerACLSteps(name string) []step {
	if rest, ok := strings.CutPrefix(name, "k5-"); ok {
		return aclSteps(withK5Secret)[rest]
	}
	if rest, ok := strings.CutPrefix(name, "barbican-"); ok {
		return aclSteps(withBarbicanSecret)[rest]
	}
	return nil
}

func emptyOK(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	if resp.StatusCode != http.StatusOK || resp.Body != "" {
		t.Errorf("got %d %q, want 200 without a body", resp.StatusCode, resp.Body)
	}
}
