package createsecret

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/functions/gcore/gettask"
	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/seal"
)

// There is no downloadable Gcore Go SDK (docs/wire/gcore.md, "Clients"), so this test sends with
// plain net/http exactly what GC-go sends (same section; requestconfig.go): the APIKey scheme, Gcore/Go
// User-Agent, the X-Stainless-* headers and a JSON body, then polls the task as GC-go's Poll
// does and requires exactly one created secret, as the old NewAndPoll did.

// sdkTask is the part of GC-go's cloud.Task the SDK's Poll and NewAndPoll rely on.
type sdkTask struct {
	ID               string  `json:"id"`
	State            string  `json:"state"`
	TaskType         string  `json:"task_type"`
	CreatedOn        string  `json:"created_on"`
	UserID           *int64  `json:"user_id"`
	Error            *string `json:"error"`
	CreatedResources *struct {
		Secrets []string `json:"secrets"`
	} `json:"created_resources"`
}

func sdkRequest(t *testing.T, method, url, scheme string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	gcoretest.SetSDKHeaders(req, scheme+" "+gcoretest.TokenAll)
	return req
}

func sdkDo(t *testing.T, req *http.Request, into any) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	// GC-go treats >= 400 as an error and decodes a 2xx body only when it is JSON.
	if res.StatusCode >= 400 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%s %s: %d %q %s", req.Method, req.URL.Path, res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func TestSDKCompatibility(t *testing.T) {
	for _, scheme := range []string{"APIKey", "apikey"} {
		t.Run(scheme, func(t *testing.T) {
			e := newEnv(t)
			srv := httptest.NewServer(gcoretest.Serve(e.deps(t), Row, gettask.Row))
			defer srv.Close()

			// GC-go (pre-4ca75cc) SecretService.New: POST cloud/v1/secrets/{project}/{region}.
			body, _ := json.Marshal(map[string]any{
				"name": "AES key", "payload": payloadB64, "payload_content_encoding": "base64",
				"payload_content_type": "application/octet-stream", "secret_type": "symmetric",
				"algorithm": "aes", "bit_length": 256, "mode": "cbc", "expiration": "2030-12-28T19:14:44",
			})
			var created struct {
				Tasks []string `json:"tasks"`
			}
			sdkDo(t, sdkRequest(t, "POST", srv.URL+"/cloud/v1/secrets/1/76", scheme, body), &created)
			if len(created.Tasks) != 1 {
				t.Fatalf("tasks: got %v, want one", created.Tasks)
			}

			// TaskService.Poll: GET cloud/v1/tasks/{id} until FINISHED (fail on ERROR).
			var task sdkTask
			for i := 0; task.State != "FINISHED"; i++ {
				if i == 5 || task.State == "ERROR" {
					t.Fatalf("task %s did not finish: %+v", created.Tasks[0], task)
				}
				sdkDo(t, sdkRequest(t, "GET", fmt.Sprintf("%s/cloud/v1/tasks/%s", srv.URL, created.Tasks[0]), scheme, nil), &task)
			}
			if task.ID != created.Tasks[0] || task.TaskType != "create_secret" || task.UserID == nil || task.Error != nil || task.CreatedOn == "" {
				t.Fatalf("task: got %+v", task)
			}
			// NewAndPoll: exactly one created secret.
			if task.CreatedResources == nil || len(task.CreatedResources.Secrets) != 1 {
				t.Fatalf("created_resources: got %+v, want one secret", task.CreatedResources)
			}
			scope := gcore.Scope{Project: 1, Region: 76}
			rec, err := e.store.Get(context.Background(), gcoresecret.Ref(scope, task.CreatedResources.Secrets[0]))
			if err != nil {
				t.Fatalf("the created secret is not stored: %v", err)
			}
			got, err := e.sealer.Open(context.Background(), seal.Scope{Service: "gcore-cloud", Tenant: "1"}, rec.Ref.AAD(), rec.Sealed)
			if err != nil || !bytes.Equal(got, plaintext) {
				t.Fatalf("sealed blob opens to %q, %v; want the payload", got, err)
			}
			checkSecret(t, e, rec, scope)
		})
	}
}
