package localserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"
	tccommon "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"keyport/shared/credentials"
)

// vendorClients are the five vendors' own clients (plain HTTP for Gcore, whose Go SDK has no
// downloadable version), pointed at one keyport server. Each create takes a distinct index so
// load runs never trip a uniqueness rule, and a secret value the caller chooses.
type vendorClients struct {
	host     string // 127.0.0.1:PORT
	tencent  *tccommon.Client
	alibaba  *apig.Client
	k5       *gophercloud.ServiceClient
	httpDoer *http.Client
}

func newVendorClients(t testing.TB, host string) *vendorClients {
	t.Helper()
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = host
	cpf.HttpProfile.Scheme = "HTTP"
	tc := tccommon.NewCommonClient(tccommon.NewCredential(credentials.DevTencentSecretID, credentials.DevTencentSecretKey), "ap-guangzhou", cpf)

	ali, err := apig.NewClient(&openapiutil.Config{
		Endpoint: dara.String(host), Protocol: dara.String("http"),
		AccessKeyId: dara.String(credentials.DevAlibabaKeyID), AccessKeySecret: dara.String(credentials.DevAlibabaSecret),
	})
	if err != nil {
		t.Fatal(err)
	}
	pc := &gophercloud.ProviderClient{}
	pc.SetToken(credentials.DevK5Token)
	k5 := &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: "http://" + host + "/",
		ResourceBase: "http://" + host + "/v1/" + credentials.DevK5Tenant + "/"}
	return &vendorClients{host: host, tencent: tc, alibaba: ali, k5: k5, httpDoer: &http.Client{}}
}

// operations lists one create per operation, in a fixed order.
var operations = []string{"alibaba", "tencent-apigateway", "tencent-teo", "gcore", "k5"}

// create performs one create of op with secret as the secret value (for teo, secret is used
// as the seed of a 32-byte key). It returns an error unless the vendor reports success.
func (c *vendorClients) create(ctx context.Context, op string, i int, secret string) error {
	switch op {
	case "alibaba":
		_, err := c.alibaba.CreateSecret(&apig.CreateSecretRequest{
			Name: dara.String(fmt.Sprintf("load_%d", i)), SecretData: dara.String(secret),
			GatewayType: dara.String("API"), SecretSource: dara.String("KMS"),
			KmsConfig: &apig.KMSConfig{KmsInstanceId: dara.String("kst-1"), KmsKeyId: dara.String("key-1")},
		})
		return err
	case "tencent-apigateway":
		return c.tencentCall("apigateway", "2018-08-08", "CreateApiKey", map[string]any{
			"SecretName": fmt.Sprintf("load_%d", i), "AccessKeyType": "manual",
			"AccessKeyId": fmt.Sprintf("loadkey_%d", i), "AccessKeySecret": secret})
	case "tencent-teo":
		return c.tencentCall("teo", "2022-09-01", "CreateMultiPathGatewaySecretKey", map[string]any{
			"ZoneId": fmt.Sprintf("zone-load%d", i), "SecretKey": teoKey(secret)})
	case "gcore":
		return c.gcoreCreate(ctx, secret)
	case "k5":
		_, err := secrets.Create(ctx, c.k5, secrets.CreateOpts{
			Name: fmt.Sprintf("load_%d", i), Payload: base64.StdEncoding.EncodeToString([]byte(secret)),
			PayloadContentType: "application/octet-stream", PayloadContentEncoding: "base64",
			SecretType: secrets.OpaqueSecret,
		}).Extract()
		return err
	}
	return fmt.Errorf("unknown operation %q", op)
}

// teoKey makes a valid EdgeOne SecretKey (base64 of 32 bytes) that contains secret's bytes.
func teoKey(secret string) string {
	b := []byte(strings.Repeat(secret, 1+32/len(secret)))[:32]
	return base64.StdEncoding.EncodeToString(b)
}

func (c *vendorClients) tencentCall(service, version, action string, params map[string]any) error {
	req := tchttp.NewCommonRequest(service, version, action)
	if err := req.SetActionParameters(params); err != nil {
		return err
	}
	resp := tchttp.NewCommonResponse()
	return c.tencent.Send(req, resp)
}

// gcoreCreate sends what Gcore's SDK sends, then polls the task once, as its Poll does.
func (c *vendorClients) gcoreCreate(ctx context.Context, secret string) error {
	body, _ := json.Marshal(map[string]any{
		"name": "load", "payload": base64.StdEncoding.EncodeToString([]byte(secret)),
		"payload_content_encoding": "base64", "payload_content_type": "application/octet-stream",
		"secret_type": "opaque"})
	var created struct{ Tasks []string }
	if err := c.gcoreDo(ctx, http.MethodPost, "/cloud/v1/secrets/1/76", body, &created); err != nil {
		return err
	}
	if len(created.Tasks) != 1 {
		return fmt.Errorf("gcore: got %d tasks, want 1", len(created.Tasks))
	}
	var task struct{ State string }
	if err := c.gcoreDo(ctx, http.MethodGet, "/cloud/v1/tasks/"+created.Tasks[0], nil, &task); err != nil {
		return err
	}
	if task.State != "FINISHED" {
		return fmt.Errorf("gcore: task state %q, want FINISHED", task.State)
	}
	return nil
}

func (c *vendorClients) gcoreDo(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.host+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "APIKey "+credentials.DevGcoreAPIKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Gcore/Go 0.1.0")
	resp, err := c.httpDoer.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		e := &gcoreError{status: resp.StatusCode}
		var env struct {
			ExceptionClass string `json:"exception_class"`
		}
		if json.NewDecoder(resp.Body).Decode(&env) == nil {
			e.class = env.ExceptionClass
		}
		return e
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// gcoreError is a Gcore refusal: its status and exception_class ("" when the body was not
// Gcore's envelope).
type gcoreError struct {
	status int
	class  string
}

func (e *gcoreError) Error() string { return fmt.Sprintf("gcore: status %d %s", e.status, e.class) }
