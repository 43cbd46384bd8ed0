package localserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/credentials"
)

// gcoreSDK sends requests exactly as GC-go does (requestconfig.go: the APIKey scheme, Accept,
// the Gcore/Go User-Agent, the X-Stainless-* headers, JSON bodies only when there is a body)
// and treats any status of 400 or more as an error, as GC-go's apierror does.
type gcoreSDK struct {
	t      testing.TB
	base   string
	client *http.Client // nil means http.DefaultClient
}

func (c gcoreSDK) do(method, path string, body any, out any) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	gcoretest.SetSDKHeaders(req, "APIKey "+credentials.DevGcoreAPIKey)
	client := c.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Type") != "application/json" {
		c.t.Fatalf("%s %s: got %d %q %s, want JSON", method, path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	if out != nil && resp.StatusCode < 400 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

// sdkTask is the part of GC-go's cloud.Task its Poll, NewAndPoll and DeleteAndPoll read.
type sdkTask struct {
	ID               string              `json:"id"`
	State            string              `json:"state"`
	TaskType         string              `json:"task_type"`
	Error            *string             `json:"error"`
	CreatedResources map[string][]string `json:"created_resources"`
	Data             map[string]string   `json:"data"`
}

// poll is GC-go's TaskService.Poll: GET the task until FINISHED, failing on ERROR.
func (c gcoreSDK) poll(id string) sdkTask {
	c.t.Helper()
	var task sdkTask
	for i := 0; task.State != "FINISHED"; i++ {
		if i == 5 || task.State == "ERROR" {
			c.t.Fatalf("task %s did not finish: %+v", id, task)
		}
		if code := c.do("GET", "/cloud/v1/tasks/"+id, nil, &task); code != 200 {
			c.t.Fatalf("poll %s: got %d", id, code)
		}
	}
	return task
}

// TestGcoreLifecycle runs Gcore's clients' whole secret lifecycle through the local server:
// the old SDK's create-and-poll that GETs the created secret, the list, Terraform's
// delete-and-poll that then requires the secret's GET to fail, and the task list.
func TestGcoreLifecycle(t *testing.T) {
	srv := newTestServer(t)
	c := gcoreSDK{t: t, base: srv.URL}

	// NewAndPoll (GC-go before the v1 create was removed): create, poll, exactly one secret, GET it.
	var created struct{ Tasks []string }
	c.do("POST", "/cloud/v1/secrets/1/76", map[string]any{
		"name": "AES key", "payload": base64.StdEncoding.EncodeToString([]byte("lifecycle")), "payload_content_encoding": "base64",
		"payload_content_type": "application/octet-stream", "secret_type": "symmetric", "algorithm": "aes", "bit_length": 256,
		"mode": "cbc", "expiration": "2099-12-28T19:14:44"}, &created)
	if len(created.Tasks) != 1 {
		t.Fatalf("create: got tasks %v, want one", created.Tasks)
	}
	task := c.poll(created.Tasks[0])
	if len(task.CreatedResources["secrets"]) != 1 {
		t.Fatalf("create task: got created_resources %v, want exactly one secret", task.CreatedResources)
	}
	id := task.CreatedResources["secrets"][0]
	var secret map[string]any
	if code := c.do("GET", "/cloud/v1/secrets/1/76/"+id, nil, &secret); code != 200 {
		t.Fatalf("get: got %d", code)
	}
	want := map[string]any{"id": id, "name": "AES key", "secret_type": "symmetric", "status": "ACTIVE", "algorithm": "aes",
		"bit_length": float64(256), "mode": "cbc", "expiration": "2099-12-28T19:14:44+00:00",
		"content_types": map[string]any{"default": "application/octet-stream"}}
	for k, v := range want {
		if fmt.Sprint(secret[k]) != fmt.Sprint(v) {
			t.Errorf("secret %s: got %v, want %v", k, secret[k], v)
		}
	}
	if _, err := time.Parse("2006-01-02T15:04:05-07:00", fmt.Sprint(secret["created"])); err != nil {
		t.Errorf("created %v does not parse as GC-labs parses it: %v", secret["created"], err)
	}

	// List (GC-go SecretService.List with its default page).
	var page struct {
		Count   int              `json:"count"`
		Results []map[string]any `json:"results"`
	}
	c.do("GET", "/cloud/v1/secrets/1/76?"+url.Values{"limit": {"1000"}}.Encode(), nil, &page)
	if page.Count != 1 || len(page.Results) != 1 || page.Results[0]["id"] != id {
		t.Fatalf("list: got %+v, want the one secret", page)
	}

	// DeleteAndPoll, then Terraform's check that the secret is gone.
	var deleted struct{ Tasks []string }
	if code := c.do("DELETE", "/cloud/v1/secrets/1/76/"+id, nil, &deleted); code != 200 || len(deleted.Tasks) == 0 {
		t.Fatalf("delete: got %d %v, want 200 and a task", code, deleted.Tasks)
	}
	if task := c.poll(deleted.Tasks[0]); task.TaskType != "delete_secret" || task.Data["secret_id"] != id || len(task.CreatedResources) != 0 {
		t.Fatalf("delete task: got %+v", task)
	}
	if code := c.do("GET", "/cloud/v1/secrets/1/76/"+id, nil, nil); code != 404 {
		t.Fatalf("get after delete: got %d, want 404", code)
	}
	if code := c.do("DELETE", "/cloud/v1/secrets/1/76/"+id, nil, nil); code != 404 {
		t.Fatalf("second delete: got %d, want 404", code)
	}
	c.do("GET", "/cloud/v1/secrets/1/76", nil, &page)
	if page.Count != 0 || len(page.Results) != 0 {
		t.Fatalf("list after delete: got %+v, want empty", page)
	}

	// TaskService.List as GC-go encodes TaskListParams: repeated arrays, order_by.
	q := url.Values{"project_id": {"1"}, "state": {"FINISHED", "ERROR"}, "order_by": {"desc"}, "limit": {"10"}}
	var tasks struct {
		Count   int       `json:"count"`
		Results []sdkTask `json:"results"`
	}
	c.do("GET", "/cloud/v1/tasks?"+q.Encode(), nil, &tasks)
	if tasks.Count != 2 || len(tasks.Results) != 2 || tasks.Results[0].ID != deleted.Tasks[0] || tasks.Results[1].ID != created.Tasks[0] {
		t.Fatalf("task list: got %+v, want the delete then the create", tasks)
	}
}
