package localserver

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"

	"keyport/shared/credentials"
	"keyport/shared/sign/tc3"
)

// tencentResponse sends action with params through the Go SDK and returns Response.
func (c *vendorClients) tencentResponse(t *testing.T, service, version, action string, params map[string]any) map[string]any {
	t.Helper()
	req := tchttp.NewCommonRequest(service, version, action)
	if err := req.SetActionParameters(params); err != nil {
		t.Fatal(err)
	}
	resp := tchttp.NewCommonResponse()
	if err := c.tencent.Send(req, resp); err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	var env struct{ Response map[string]any }
	if err := json.Unmarshal(resp.GetBody(), &env); err != nil {
		t.Fatal(err)
	}
	return env.Response
}

// TestTencentLifecycleThroughServer runs every Tencent key action through the local server
// (`make run`) with the Go SDK, then scans the log for every secret that went over the wire.
func TestTencentLifecycleThroughServer(t *testing.T) {
	addr, logs, stop := startServer(t, 500)
	c := newVendorClients(t, addr)
	const apigw, v1 = "apigateway", "2018-08-08"
	created := c.tencentResponse(t, apigw, v1, "CreateApiKey", map[string]any{"SecretName": "lifecycle"})["Result"].(map[string]any)
	id := map[string]any{"AccessKeyId": created["AccessKeyId"]}
	secrets := []string{created["AccessKeySecret"].(string)}
	described := c.tencentResponse(t, apigw, v1, "DescribeApiKey", id)["Result"].(map[string]any)
	listed := c.tencentResponse(t, apigw, v1, "DescribeApiKeysStatus", map[string]any{"Limit": 100})["Result"].(map[string]any)
	updated := c.tencentResponse(t, apigw, v1, "UpdateApiKey", id)["Result"].(map[string]any)
	secrets = append(secrets, updated["AccessKeySecret"].(string))
	if described["AccessKeySecret"] != secrets[0] || listed["TotalCount"] != 1.0 || updated["AccessKeySecret"] == secrets[0] {
		t.Errorf("got described %v listed %v updated %v, want the key, then a new secret", described, listed, updated)
	}
	for _, action := range []string{"DisableApiKey", "EnableApiKey", "DisableApiKey", "DeleteApiKey"} {
		if got := c.tencentResponse(t, apigw, v1, action, id)["Result"]; got != true {
			t.Errorf("%s: got Result %v, want true", action, got)
		}
	}
	const teo, v2 = "teo", "2022-09-01"
	zone := map[string]any{"ZoneId": "zone-27q0p0bal192"}
	c.tencentResponse(t, teo, v2, "CreateMultiPathGatewaySecretKey", zone)
	for _, action := range []string{"DescribeMultiPathGatewaySecretKey", "RefreshMultiPathGatewaySecretKey"} {
		secrets = append(secrets, c.tencentResponse(t, teo, v2, action, zone)["SecretKey"].(string))
	}
	given := teoKey(randomSecret(t, "Sec_"))
	c.tencentResponse(t, teo, v2, "ModifyMultiPathGatewaySecretKey", map[string]any{"ZoneId": "zone-27q0p0bal192", "SecretKey": given})
	secrets = append(secrets, given)
	if got := c.tencentResponse(t, teo, v2, "DescribeMultiPathGatewaySecretKey", zone)["SecretKey"]; got != given {
		t.Errorf("got %v after Modify, want the given key", got)
	}
	stop()
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("log output holds a secret (%.6s…)", s)
		}
	}
}

// TestNodeSDKThroughServer sends what Tencent's Node.js SDK sends to `make run` at
// 127.0.0.1:PORT: a scope service of "127" and a host line without the port.
func TestNodeSDKThroughServer(t *testing.T) {
	addr, _, stop := startServer(t, 500)
	defer stop()
	host, _, _ := net.SplitHostPort(addr)
	body := `{"SecretName":"from-node"}`
	at := time.Now()
	r, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://"+addr+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-TC-Action", "CreateApiKey")
	r.Header.Set("X-TC-Version", "2018-08-08")
	r.Header.Set("X-TC-Timestamp", strconv.FormatInt(at.Unix(), 10))
	r.Header.Set("X-TC-RequestClient", "SDK_NODEJS_4.1.0")
	signed := tc3.Request{Method: http.MethodPost, Payload: []byte(body), Header: func(name string) string {
		if name == "host" {
			return host // Node signs new URL(url).hostname
		}
		return r.Header.Get(name)
	}}
	auth, err := tc3.Sign(credentials.DevTencentSecretID, credentials.DevTencentSecretKey, "127", at, nil, signed)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(raw), `"AccessKeyId":"AKID`) {
		t.Errorf("got %s, want the created key", raw)
	}
}
