//go:build invoke

package invoke

import (
	"net/http"
	"regexp"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// staticGcoreSecretID is the secret id in events/gcore-getsecret.json and gcore-deletesecret.json.
const staticGcoreSecretID = "3e6a1f0b-5a44-4d2b-9d0c-8f1e2d3c4b5a"

// withCreatedSecret points a secret event at the secret gcore-createsecret created.
func withCreatedSecret(t *testing.T, signed []byte, c *chained) []byte {
	if c.gcoreSecretID == "" {
		t.Skip("gcore-gettask reported no created secret")
	}
	return replaceAll(signed, staticGcoreSecretID, c.gcoreSecretID)
}

// checkGcoreSecret checks the Secret object of the event's secret, and that it has no payload.
func checkGcoreSecret(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	wantString(t, m, "id", regexp.MustCompile("^"+regexp.QuoteMeta(c.gcoreSecretID)+"$"))
	wantString(t, m, "name", regexp.MustCompile(`^keyport-event$`))
	wantString(t, m, "status", regexp.MustCompile(`^ACTIVE$`))
	wantString(t, m, "created", regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`))
	if _, ok := m["payload"]; ok {
		t.Errorf("got a payload in the Secret object")
	}
}

// checkGcoreSecretList checks the list holds the created secret and counts it.
func checkGcoreSecretList(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	results, _ := m["results"].([]any)
	if count, _ := m["count"].(float64); int(count) != len(results) || len(results) == 0 {
		t.Fatalf("got count %v and %d results, want the same, at least one", m["count"], len(results))
	}
	for _, r := range results {
		if obj, _ := r.(map[string]any); obj["id"] == c.gcoreSecretID {
			return
		}
	}
	t.Errorf("got results %v, want the created secret %s among them", results, c.gcoreSecretID)
}

// checkGcoreTaskList checks the newest task of project 1 is the delete gcore-deletesecret ran.
func checkGcoreTaskList(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	results, _ := m["results"].([]any)
	if len(results) < 2 {
		t.Fatalf("got %d results, want the create's and the delete's tasks", len(results))
	}
	first, _ := results[0].(map[string]any)
	if data, _ := first["data"].(map[string]any); first["task_type"] != "delete_secret" || data["secret_id"] != c.gcoreSecretID {
		t.Errorf("got newest task %v, want the delete of %s", first, c.gcoreSecretID)
	}
}
