//go:build invoke

package invoke

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/shared/credentials"
)

// chained carries values from one function's response into a later function's event.
type chained struct {
	gcoreTaskID string
	k5SecretID  string // created by k5-createsecret, with a payload
	barbicanID  string // created by barbican-createsecret, without one
}

// step is one invocation: an optional rewrite of the (signed) event and the response check.
type step struct {
	event func(t *testing.T, signed []byte, c *chained) []byte
	check func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained)
}

// cases lists the invocations of a function, run in the operations table's order (so
// gcore-gettask reads the task gcore-createsecret wrote). A function without a case gets one
// invocation of its event checked by checkAnswers.
var cases = map[string][]step{
	"alibaba-createsecret": {{check: checkAlibaba}},
	"tencent-apigateway":   {{check: checkCreateAPIKey}},
	"tencent-teo":          {{check: checkTencentOK}},
	"gcore-createsecret":   {{check: checkGcoreTasks}},
	"gcore-gettask": {
		{check: checkGcoreTaskNotFound},
		{event: withCreatedTask, check: checkGcoreTask},
	},
	"k5-createsecret": {{check: checkK5}},
}

// checkAnswers is the least every function must do with its event: answer in JSON, without a
// server error (Tencent answers every outcome with 200 and its envelope).
func checkAnswers(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	if resp.StatusCode >= 500 {
		t.Errorf("got status %d, want no server error; body %s", resp.StatusCode, resp.Body)
	}
	if got := resp.Headers["Content-Type"]; !strings.HasPrefix(got, "application/json") {
		t.Errorf("got Content-Type %q, want JSON", got)
	}
}

// staticTaskID is the task id in events/gcore-gettask.json (Gcore's documentation example).
const staticTaskID = "d478ae29-dedc-4869-82f0-96104425f565"

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// body decodes a JSON response body after checking status and media type.
func body(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, status int, mediaType string) map[string]any {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("got status %d, want %d; body %s", resp.StatusCode, status, resp.Body)
	}
	if got := resp.Headers["Content-Type"]; !strings.HasPrefix(got, mediaType) {
		t.Errorf("got Content-Type %q, want %s", got, mediaType)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
		t.Fatalf("got body %q, want JSON: %v", resp.Body, err)
	}
	return m
}

// field walks m along a dotted path ("Response.Result.AccessKeyId").
func field(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

// wantString fails unless the field at path is a string matching re.
func wantString(t *testing.T, m map[string]any, path string, re *regexp.Regexp) string {
	t.Helper()
	s, ok := field(m, path).(string)
	if !ok || !re.MatchString(s) {
		t.Errorf("got %s = %v, want a string matching %s", path, field(m, path), re)
	}
	return s
}

var nonEmpty = regexp.MustCompile(`.`)

func checkAlibaba(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	wantString(t, m, "requestId", nonEmpty)
	wantString(t, m, "code", regexp.MustCompile(`^Ok$`))
	wantString(t, m, "data.secretId", nonEmpty)
}

// checkTencentOK checks the Tencent success envelope: HTTP 200, a RequestId and no Error.
func checkTencentOK(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	if e := field(m, "Response.Error"); e != nil {
		t.Errorf("got Response.Error %v, want success", e)
	}
	wantString(t, m, "Response.RequestId", uuidRE)
}

func checkCreateAPIKey(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	checkTencentOK(t, resp, c)
	m := body(t, resp, http.StatusOK, "application/json")
	wantString(t, m, "Response.Result.AccessKeyId", nonEmpty)
	wantString(t, m, "Response.Result.AccessKeySecret", nonEmpty)
	wantString(t, m, "Response.Result.SecretName", regexp.MustCompile(`^keyport-event$`))
	wantString(t, m, "Response.Result.AccessKeyType", regexp.MustCompile(`^auto$`))
}

func checkGcoreTasks(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	tasks, _ := m["tasks"].([]any)
	if len(tasks) != 1 {
		t.Fatalf("got tasks %v, want exactly one", m["tasks"])
	}
	id, _ := tasks[0].(string)
	if !uuidRE.MatchString(id) {
		t.Fatalf("got task id %v, want a UUID", tasks[0])
	}
	c.gcoreTaskID = id
}

func checkGcoreTaskNotFound(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := body(t, resp, http.StatusNotFound, "application/json")
	wantString(t, m, "exception_class", regexp.MustCompile(`^NotFoundError$`))
	wantString(t, m, "request_id", nonEmpty)
}

// withCreatedTask points the gettask event at the task gcore-createsecret created.
func withCreatedTask(t *testing.T, signed []byte, c *chained) []byte {
	if c.gcoreTaskID == "" {
		t.Skip("gcore-createsecret returned no task")
	}
	return replaceAll(signed, staticTaskID, c.gcoreTaskID)
}

func checkGcoreTask(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusOK, "application/json")
	wantString(t, m, "id", regexp.MustCompile("^"+regexp.QuoteMeta(c.gcoreTaskID)+"$"))
	wantString(t, m, "state", regexp.MustCompile(`^FINISHED$`))
	secrets, _ := field(m, "created_resources.secrets").([]any)
	if len(secrets) != 1 {
		t.Errorf("got created_resources.secrets %v, want one secret id", field(m, "created_resources.secrets"))
	}
}

func checkK5(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := body(t, resp, http.StatusCreated, "application/json")
	// The ref is built from the Host the client used and X-Forwarded-Proto, so this also
	// checks lambdaapp's host handling end to end.
	want := regexp.MustCompile(`^https://e5f6a7b8c9\.execute-api\.eu-west-1\.amazonaws\.com/v1/` +
		credentials.DevK5Tenant + `/secrets/[0-9a-f-]{36}$`)
	ref := wantString(t, m, "secret_ref", want)
	if loc := resp.Headers["Location"]; loc != ref {
		t.Errorf("got Location %q, want the secret_ref %q", loc, ref)
	}
	if len(ref) >= 36 {
		c.k5SecretID = ref[len(ref)-36:]
	}
}
