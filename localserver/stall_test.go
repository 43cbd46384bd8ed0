package localserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/gophercloud/gophercloud/v2"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/motoserver"
)

// stallWriteTimeout is the server's write timeout in the stall test: short, so the test is,
// but long enough for a create on moto when it is not stalled. The budget is computed from it
// (web.ForWriteTimeout); every answer must arrive before it, or net/http would drop it.
const stallWriteTimeout = 5 * time.Second

// stallClients is how many clients per operation call at once while the backend is stalled.
const stallClients = 4

// wantStalled is what each vendor's client must report for a request whose backend stalled:
// the vendor's retryable server error, in its envelope, which the client parsed.
var wantStalled = map[string]string{
	"alibaba":            "503 ServiceUnavailable",
	"tencent-apigateway": "InternalError",
	"tencent-teo":        "InternalError",
	"gcore":              "503 ServiceUnavailable",
	"k5":                 "500 Internal Server Error",
}

// TestStalledBackendStillAnswers runs the server on DynamoDB and KMS (a moto_server of the
// test's own), stops moto with SIGSTOP, and has every operation's own client call at once. Each
// must get its vendor's retryable server error before the server's write timeout (with the
// budget, not the 100 s a stalled backend would otherwise hold it), each such request must be
// audited with outcome "unknown", and after SIGCONT the server must create again.
func TestStalledBackendStillAnswers(t *testing.T) {
	moto := motoserver.Own(t)
	useAWS(t, moto.Endpoint)
	auditPath := filepath.Join(t.TempDir(), "audit.log")
	addr, logs, stop := startServerWith(t, config{storeKind: "dynamodb", table: "keyport-stall",
		createTable: true, keyLimit: 500, writeTimeout: stallWriteTimeout, auditPath: auditPath})
	defer stop()
	clients := newVendorClients(t, addr)
	ctx := context.Background()
	for i, op := range operations {
		if err := clients.create(ctx, op, i, randomSecret(t, "Stall_")); err != nil {
			t.Fatalf("%s before the stall: %v", op, err)
		}
	}

	if err := moto.Pause(); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		op      string
		got     string
		elapsed time.Duration
	}
	answers := make(chan answer, len(operations)*stallClients)
	var wg sync.WaitGroup
	for i, op := range operations {
		for c := range stallClients {
			own := newVendorClients(t, addr) // the vendors' clients are not safe for concurrent use
			own.alibaba = ownAlibabaClient(t, addr, 60_000+10*i+c)
			secret := randomSecret(t, "Stall_")
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				err := own.createRaw(ctx, op, 100+10*i+c, secret)
				answers <- answer{op, stalledAnswer(err), time.Since(start)}
			}()
		}
	}
	wg.Wait()
	close(answers)
	var longest time.Duration
	for a := range answers {
		longest = max(longest, a.elapsed)
		if a.got != wantStalled[a.op] {
			t.Errorf("%s with the backend stalled: got %q, want %q", a.op, a.got, wantStalled[a.op])
		}
		if a.elapsed >= stallWriteTimeout {
			t.Errorf("%s answered after %s, not within the write timeout %s", a.op, a.elapsed, stallWriteTimeout)
		}
	}
	t.Logf("longest answer with the backend stalled: %s (write timeout %s)", longest, stallWriteTimeout)
	if n := countOutcome(t, auditPath, audit.OutcomeUnknown); n != len(operations)*stallClients {
		t.Errorf("got %d audit events with outcome unknown, want %d", n, len(operations)*stallClients)
	}
	if !strings.Contains(logs.String(), `"outcome":"unknown"`) {
		t.Errorf("no request log line says the outcome is unknown")
	}

	if err := moto.Resume(); err != nil {
		t.Fatal(err)
	}
	for i, op := range operations {
		if err := clients.create(ctx, op, 200+i, randomSecret(t, "Stall_")); err != nil {
			t.Errorf("%s after the backend came back: %v", op, err)
		}
	}
}

// ownAlibabaClient is an APIG client that shares no pooled HTTP client with any other: the
// SDK pools them by their settings and sets a pooled client's timeout on every call without
// synchronisation, a data race between concurrent clients with equal settings. A distinct read
// timeout (in milliseconds, far longer than any answer here) gives each its own.
func ownAlibabaClient(t *testing.T, host string, readTimeoutMS int) *apig.Client {
	t.Helper()
	c, err := apig.NewClient(&openapiutil.Config{
		Endpoint: dara.String(host), Protocol: dara.String("http"), ReadTimeout: dara.Int(readTimeoutMS),
		AccessKeyId: dara.String(credentials.DevAlibabaKeyID), AccessKeySecret: dara.String(credentials.DevAlibabaSecret),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// createRaw is create without Gcore's task poll, so a refused Gcore create reports its body.
func (c *vendorClients) createRaw(ctx context.Context, op string, i int, secret string) error {
	if op != "gcore" {
		return c.create(ctx, op, i, secret)
	}
	body, _ := json.Marshal(map[string]any{"name": "stall", "payload": "aGVsbG8=", "payload_content_encoding": "base64",
		"payload_content_type": "application/octet-stream", "secret_type": "opaque"})
	var created struct{ Tasks []string }
	return c.gcoreDo(ctx, http.MethodPost, "/cloud/v1/secrets/1/76", body, &created)
}

// stalledAnswer reduces a client's error to "<status> <code>" (Tencent: the code; K5: the
// status and Barbican's title), or says the client got no envelope at all.
func stalledAnswer(err error) string {
	var tc *tcerr.TencentCloudSDKError
	var ali *tea.SDKError
	var k5 gophercloud.ErrUnexpectedResponseCode
	var gc *gcoreError
	switch {
	case err == nil:
		return "success"
	case errors.As(err, &tc):
		return tc.GetCode()
	case errors.As(err, &ali) && ali.StatusCode != nil && ali.Code != nil:
		return fmt.Sprintf("%d %s", *ali.StatusCode, *ali.Code)
	case errors.As(err, &k5):
		var body struct{ Title string }
		if json.Unmarshal(k5.Body, &body) != nil || body.Title == "" {
			return fmt.Sprintf("%d without Barbican's body: %q", k5.Actual, k5.Body)
		}
		return fmt.Sprintf("%d %s", k5.Actual, body.Title)
	case errors.As(err, &gc):
		return fmt.Sprintf("%d %s", gc.status, gc.class)
	}
	return "no envelope: " + err.Error()
}

// countOutcome counts the audit events at path whose outcome is outcome.
func countOutcome(t *testing.T, path, outcome string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e audit.Event
		if json.Unmarshal([]byte(l), &e) == nil && e.Outcome == outcome {
			n++
		}
	}
	return n
}
