//go:build invoke

package invoke

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/events"
	"keyport/shared/credentials"
)

// chained carries values from one function's response into a later function's event.
type chained struct {
	gcoreTaskID     string
	gcoreSecretID   string
	apiKeyID        string // the key tencent-apigateway's CreateApiKey returned
	alibabaSecretID string
	k5SecretID      string // created by k5-createsecret, with a payload
	barbicanID      string // created by barbican-createsecret, without one
	keystoneToken   string // issued by identity-issuetoken
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
	"alibaba-getsecret": {
		{check: checkAlibabaNotFound},
		{event: withAlibabaSecret, check: checkAlibabaGet},
	},
	"alibaba-listsecrets":          {{check: checkAlibabaList}},
	"alibaba-getsecretvalue":       {{check: checkAlibabaValue}},
	"alibaba-updatesecret":         {{event: withAlibabaSecret, check: checkAlibabaNoData}},
	"alibaba-listsecretreferences": {{event: withAlibabaSecret, check: checkAlibabaReferences}},
	"alibaba-deletesecret": {
		{event: withAlibabaSecret, check: checkAlibabaNoData},
		{event: withAlibabaSecret, check: checkAlibabaNotFound},
	},
	"tencent-apigateway": {
		{check: checkCreateAPIKey},
		{event: apiKeyCall("DescribeApiKey", ""), check: checkResult("Response.Result.AccessKeySecret")},
		{event: apiKeyCall("DescribeApiKeysStatus", `{"Limit":100,"Filters":[{"Name":"AccessKeyId","Values":["%s"]}]}`), check: checkResult("Response.Result.ApiKeySet")},
		{event: apiKeyCall("UpdateApiKey", ""), check: checkResult("Response.Result.AccessKeySecret")},
		{event: apiKeyCall("EnableApiKey", ""), check: checkResult("Response.Result")},
		{event: apiKeyCall("DisableApiKey", ""), check: checkResult("Response.Result")},
		{event: apiKeyCall("DeleteApiKey", ""), check: checkResult("Response.Result")},
		{event: apiKeyCall("DescribeApiKey", ""), check: checkTencentCode("ResourceNotFound.InvalidAccessKeyId")},
	},
	"tencent-teo": {
		{check: checkTencentOK},
		{event: teoCall("DescribeMultiPathGatewaySecretKey", zoneBody), check: checkResult("Response.SecretKey")},
		{event: teoCall("RefreshMultiPathGatewaySecretKey", zoneBody), check: checkResult("Response.SecretKey")},
		{event: teoCall("ModifyMultiPathGatewaySecretKey", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v"}`), check: checkTencentOK},
		{event: teoCall("DescribeMultiPathGatewaySecretKey", `{"ZoneId":"zone-nokey0000001"}`), check: checkTencentCode("ResourceNotFound")},
	},
	"gcore-createsecret": {{check: checkGcoreTasks}},
	"gcore-gettask": {
		{check: checkGcoreTaskNotFound},
		{event: withCreatedTask, check: checkGcoreTask},
	},
	"gcore-getsecret": {
		{check: checkGcoreNotFound},
		{event: withCreatedSecret, check: checkGcoreSecret},
	},
	"gcore-listsecrets": {{check: checkGcoreSecretList}},
	"gcore-deletesecret": {
		{check: checkGcoreNotFound},
		{event: withCreatedSecret, check: checkGcoreTasks},
	},
	"gcore-listtasks":      {{check: checkGcoreTaskList}},
	"gcore-createsecretv2": {{check: checkGcoreTasks}},
	"k5-createsecret":      {{check: checkK5}},
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

func checkAlibaba(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := checkAlibabaOK(t, resp)
	c.alibabaSecretID = wantString(t, m, "data.secretId", regexp.MustCompile(`^sec-[a-z0-9]{20}$`))
}

// checkAlibabaOK checks APIG's success envelope and returns the body.
func checkAlibabaOK(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse) map[string]any {
	t.Helper()
	m := body(t, resp, http.StatusOK, "application/json")
	wantString(t, m, "requestId", nonEmpty)
	wantString(t, m, "code", regexp.MustCompile(`^Ok$`))
	return m
}

// staticAlibabaSecretID is the secret id in the Alibaba events (APIG's documentation example).
const staticAlibabaSecretID = "sec-d5e6shmm1hkoxxxxxxxx"

// withAlibabaSecret points an Alibaba event at the secret alibaba-createsecret created and signs
// it again, since the id is part of the signed path.
func withAlibabaSecret(t *testing.T, signed []byte, c *chained) []byte {
	if c.alibabaSecretID == "" {
		t.Skip("alibaba-createsecret returned no secret")
	}
	event, err := events.Sign(replaceAll(signed, staticAlibabaSecretID, c.alibabaSecretID), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return event
}

func checkAlibabaNotFound(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := body(t, resp, http.StatusNotFound, "application/json")
	wantString(t, m, "code", regexp.MustCompile(`^NotFound\.Secret$`))
	wantString(t, m, "requestId", nonEmpty)
}

func checkAlibabaGet(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	m := checkAlibabaOK(t, resp)
	wantString(t, m, "data.secretId", regexp.MustCompile("^"+c.alibabaSecretID+"$"))
	wantString(t, m, "data.name", regexp.MustCompile(`^keyport_event_secret$`))
	if _, ok := field(m, "data.createTimestamp").(float64); !ok || field(m, "data.secretData") != nil {
		t.Errorf("got data %v, want a numeric createTimestamp and no value", m["data"])
	}
}

func checkAlibabaList(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := checkAlibabaOK(t, resp)
	if items, _ := field(m, "data.items").([]any); len(items) != 1 || field(m, "data.totalSize") != 1.0 {
		t.Errorf("got data %v, want the one event secret", m["data"])
	}
}

func checkAlibabaValue(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := checkAlibabaOK(t, resp)
	wantString(t, m, "data.secretData", regexp.MustCompile(`^apikey-123456$`))
}

func checkAlibabaNoData(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	if m := checkAlibabaOK(t, resp); m["data"] != nil {
		t.Errorf("got data %v, want none", m["data"])
	}
}

func checkAlibabaReferences(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
	m := checkAlibabaOK(t, resp)
	if items, ok := field(m, "data.items").([]any); !ok || len(items) != 0 || field(m, "data.totalSize") != 0.0 {
		t.Errorf("got data %v, want an empty page", m["data"])
	}
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
	c.apiKeyID = wantString(t, m, "Response.Result.AccessKeyId", nonEmpty)
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

// checkGcoreNotFound checks Gcore's 404 envelope (the event's own id exists nowhere).
func checkGcoreNotFound(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	checkGcoreTaskNotFound(t, resp, c)
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
		t.Fatalf("got created_resources.secrets %v, want one secret id", field(m, "created_resources.secrets"))
	}
	c.gcoreSecretID, _ = secrets[0].(string)
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

// zoneBody addresses the zone events/tencent-teo.json creates a key for.
const zoneBody = `{"ZoneId":"zone-27q0p0bal192"}`

// apiKeyCall turns the signed CreateApiKey event into action on the key the create returned:
// body is a format with one %s for its id ("" means {"AccessKeyId":"<id>"}).
func apiKeyCall(action, body string) func(t *testing.T, signed []byte, c *chained) []byte {
	if body == "" {
		body = `{"AccessKeyId":"%s"}`
	}
	return func(t *testing.T, signed []byte, c *chained) []byte {
		if c.apiKeyID == "" {
			t.Skip("CreateApiKey returned no key")
		}
		return tencentEvent(t, signed, action, fmt.Sprintf(body, c.apiKeyID))
	}
}

// teoCall turns the signed EdgeOne create event into action with body.
func teoCall(action, body string) func(t *testing.T, signed []byte, c *chained) []byte {
	return func(t *testing.T, signed []byte, _ *chained) []byte { return tencentEvent(t, signed, action, body) }
}

// tencentEvent is event with another action and body, signed anew as the SDK would sign it.
func tencentEvent(t *testing.T, event []byte, action, body string) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		t.Fatal(err)
	}
	headers := ev["headers"].(map[string]any)
	headers["x-tc-action"] = action
	headers["content-length"] = strconv.Itoa(len(body))
	ev["body"] = body
	out, err := json.Marshal(ev)
	if err == nil {
		out, err = events.Sign(out, time.Now())
	}
	if err != nil {
		t.Fatalf("re-sign %s: %v", action, err)
	}
	return out
}

// checkResult checks a Tencent success whose field at path is present.
func checkResult(path string) func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	return func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
		checkTencentOK(t, resp, c)
		if field(body(t, resp, http.StatusOK, "application/json"), path) == nil {
			t.Errorf("got no %s in %s", path, resp.Body)
		}
	}
}

// checkTencentCode checks a Tencent error envelope with code.
func checkTencentCode(code string) func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, c *chained) {
	return func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse, _ *chained) {
		m := body(t, resp, http.StatusOK, "application/json")
		wantString(t, m, "Response.Error.Code", regexp.MustCompile("^"+regexp.QuoteMeta(code)+"$"))
	}
}
