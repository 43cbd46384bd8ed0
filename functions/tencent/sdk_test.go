package tencent_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"keyport/functions/tencent/lifecycletest"
	"keyport/shared/credentials"
)

// The typed clients (tencentcloud/apigateway/v20180808, tencentcloud/teo/v20220901) are
// separate modules that this build cannot fetch; the common package's CommonRequest sends the
// same TC3 POST they send (same headers, same signing, the action parameters as the JSON
// object their request structs marshal to), so these tests use it with those objects.

// sdk is tencentcloud-sdk-go's common client aimed at keyport on loopback, as a user would set
// it up: Endpoint host:port, Scheme HTTP, the development credentials.
func sdk(t *testing.T, endpoint string, region string) *common.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = endpoint
	cpf.HttpProfile.Scheme = "HTTP"
	return common.NewCommonClient(common.NewCredential(credentials.DevTencentSecretID, credentials.DevTencentSecretKey), region, cpf)
}

// call sends action of service with params and decodes Response into out.
func call(c *common.Client, service, version, action string, params map[string]any, out any) error {
	req := tchttp.NewCommonRequest(service, version, action)
	if err := req.SetActionParameters(params); err != nil {
		return err
	}
	resp := tchttp.NewCommonResponse()
	if err := c.Send(req, resp); err != nil {
		return err
	}
	var env struct{ Response json.RawMessage }
	if err := json.Unmarshal(resp.GetBody(), &env); err != nil {
		return err
	}
	return json.Unmarshal(env.Response, out)
}

type keyResult struct{ Result *lifecycletest.APIKey }

// codeOf is the Tencent error code the SDK surfaced, "" for none.
func codeOf(err error) string {
	var e *tcerr.TencentCloudSDKError
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "not an SDK error: " + err.Error()
	}
	return ""
}

// TestSDKLifecycle: create → describe → list → update → disable → delete → describe (not
// found), as a Go SDK user runs it.
func TestSDKLifecycle(t *testing.T) {
	e, _ := lifecycletest.Local(t, time.Time{}, 0)
	c := sdk(t, e.Server(t), "ap-guangzhou")
	const svc, ver = "apigateway", "2018-08-08"

	var created keyResult
	if err := call(c, svc, ver, "CreateApiKey", map[string]any{"SecretName": "lifecycle"}, &created); err != nil {
		t.Fatalf("CreateApiKey: %v", err)
	}
	id := created.Result.AccessKeyID
	byID := map[string]any{"AccessKeyId": id}

	var described keyResult
	if err := call(c, svc, ver, "DescribeApiKey", byID, &described); err != nil || described.Result.AccessKeySecret != created.Result.AccessKeySecret {
		t.Fatalf("DescribeApiKey: got %+v, %v; want the created key", described.Result, err)
	}
	var listed struct {
		Result struct {
			TotalCount *int64
			ApiKeySet  []lifecycletest.APIKey
		}
	}
	list := map[string]any{"Limit": 100, "Offset": 0, "Filters": []map[string]any{{"Name": "AccessKeyId", "Values": []string{id}}}}
	if err := call(c, svc, ver, "DescribeApiKeysStatus", list, &listed); err != nil || listed.Result.TotalCount == nil ||
		*listed.Result.TotalCount != 1 || listed.Result.ApiKeySet[0].Status == nil || *listed.Result.ApiKeySet[0].Status != 1 {
		t.Fatalf("DescribeApiKeysStatus: got %+v, %v; want the key, enabled", listed.Result, err)
	}
	var updated keyResult
	if err := call(c, svc, ver, "UpdateApiKey", byID, &updated); err != nil || updated.Result.AccessKeySecret == created.Result.AccessKeySecret {
		t.Fatalf("UpdateApiKey: got %+v, %v; want a new secret", updated.Result, err)
	}
	var ok struct{ Result *bool }
	if err := call(c, svc, ver, "DeleteApiKey", byID, &ok); codeOf(err) != "UnsupportedOperation.InvalidStatus" {
		t.Fatalf("DeleteApiKey while enabled: got %v, want UnsupportedOperation.InvalidStatus", err)
	}
	for _, action := range []string{"DisableApiKey", "DisableApiKey", "DeleteApiKey"} {
		ok.Result = nil
		if err := call(c, svc, ver, action, byID, &ok); err != nil || ok.Result == nil || !*ok.Result {
			t.Fatalf("%s: got %v, %v; want Result true", action, ok.Result, err)
		}
	}
	if err := call(c, svc, ver, "DescribeApiKey", byID, &described); codeOf(err) != "ResourceNotFound.InvalidAccessKeyId" {
		t.Fatalf("DescribeApiKey after delete: got %v, want ResourceNotFound.InvalidAccessKeyId", err)
	}
	if err := call(c, svc, ver, "DisableApiKey", map[string]any{"AccessKeyId": ""}, &ok); codeOf(err) != "MissingParameter" {
		t.Errorf("DisableApiKey with an empty id: got %v, want MissingParameter", err)
	}
	if err := call(c, svc, ver, "EnableApiKey", byID, &ok); codeOf(err) != "ResourceNotFound.InvalidAccessKeyId" {
		t.Errorf("EnableApiKey after delete: got %v, want ResourceNotFound.InvalidAccessKeyId", err)
	}
}

// TestSDKEdgeOne: describe (none yet, as Terraform's provider first asks) → create → describe
// → refresh → modify → describe, with the client the teo typed client is (no region).
func TestSDKEdgeOne(t *testing.T) {
	e, _ := lifecycletest.Local(t, time.Time{}, 0)
	c := sdk(t, e.Server(t), "")
	const svc, ver = "teo", "2022-09-01"
	zone := map[string]any{"ZoneId": "zone-27q0p0bal192"}
	var got struct{ SecretKey *string }
	if err := call(c, svc, ver, "DescribeMultiPathGatewaySecretKey", zone, &got); codeOf(err) != "ResourceNotFound" {
		t.Fatalf("Describe before create: got %v, want ResourceNotFound", err)
	}
	if err := call(c, svc, ver, "RefreshMultiPathGatewaySecretKey", zone, &got); codeOf(err) != "ResourceNotFound" {
		t.Fatalf("Refresh before create: got %v, want ResourceNotFound", err)
	}
	const given = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="
	if err := call(c, svc, ver, "CreateMultiPathGatewaySecretKey", map[string]any{"ZoneId": "zone-27q0p0bal192", "SecretKey": given}, &got); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if err := call(c, svc, ver, "DescribeMultiPathGatewaySecretKey", zone, &got); err != nil || *got.SecretKey != given {
		t.Fatalf("Describe: got %v, %v; want the created key", got.SecretKey, err)
	}
	var refreshed struct{ SecretKey *string }
	if err := call(c, svc, ver, "RefreshMultiPathGatewaySecretKey", zone, &refreshed); err != nil || *refreshed.SecretKey == given {
		t.Fatalf("Refresh: got %v, %v; want a new key", refreshed.SecretKey, err)
	}
	const modified = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v"
	var none struct {
		RequestID string `json:"RequestId"`
	}
	if err := call(c, svc, ver, "ModifyMultiPathGatewaySecretKey", map[string]any{"ZoneId": "zone-27q0p0bal192", "SecretKey": modified}, &none); err != nil || none.RequestID == "" {
		t.Fatalf("Modify: got %v, want RequestId alone", err)
	}
	if err := call(c, svc, ver, "DescribeMultiPathGatewaySecretKey", zone, &got); err != nil || *got.SecretKey != modified {
		t.Fatalf("Describe after modify: got %v, %v; want the modified key", got.SecretKey, err)
	}
}
