package tfreplay

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"keyport/shared/credentials"
)

// AlicloudAPIGSecret replays alicloud_apig_secret (terraform-provider-alicloud
// alicloud/resource_alicloud_apig_secret.go, commit ed10d4e3c483): Create is a ROA POST
// /v1/secrets of the configured fields, id = $.data.secretId, then Read; Read is GET
// /v1/secrets/{id} whose data must carry createTimestamp and updateTimestamp as integers
// (json.Number, ParseInt); Update builds a PUT body but never sends it (update stays false),
// then reads; import reads by id; Delete is DELETE /v1/secrets/{id} with NotFound counted as
// success; a refresh after delete finds NotFound and drops the resource.
//
// The provider sends through its generic ROA client (connectivity.roaRequest: tea-roa's
// DoRequest), which signs in the legacy "acs <AccessKeyId>:<HMAC-SHA1>" scheme. The APIG SDK's
// client (apig-20240327/v6) sends the same request, headers and signature when its
// SignatureAlgorithm is "v2" (darabonba-openapi DoROARequest), so the replay sends with it.
func AlicloudAPIGSecret(t testing.TB, host string) {
	a := newAlicloud(t, host)
	body := map[string]any{"kmsConfig": map[string]any{"kmsInstanceId": "kst-tfreplay", "kmsKeyId": "key-tfreplay"},
		"description": "tf replay", "secretSource": "KMS", "gatewayType": "API", "name": "tf_replay_secret",
		"secretData": "tf-replay-secret-v1"}
	created, err := a.roa("POST", "/v1/secrets", body)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	id := jsonPath(created, "data", "secretId")
	if id == nil || id == "" {
		t.Fatalf("create: $.data.secretId missing in %v", created)
	}
	sid, _ := id.(string)
	a.expect(sid, body)
	a.expect(sid, body) // update: the PUT is never sent; Read
	a.expect(sid, body) // import: passthrough id; Read
	if _, err := a.roa("DELETE", "/v1/secrets/"+sid, nil); err != nil && !notFound(err) {
		t.Fatalf("delete: %v", err)
	}
	// A second destroy (or one racing the first) meets NotFound, which the provider counts as
	// success.
	if _, err := a.roa("DELETE", "/v1/secrets/"+sid, nil); err == nil || !notFound(err) {
		t.Fatalf("delete again: got %v, want an error the provider reads as NotFound", err)
	}
	if _, err := a.roa("GET", "/v1/secrets/"+sid, nil); err == nil || !notFound(err) {
		t.Fatalf("read after delete: got %v, want NotFound (the provider drops the resource)", err)
	}
}

// alicloud sends ROA calls as the provider's client does: the product's version, AK auth with
// the legacy signature, a JSON body, a JSON answer decoded with json.Number.
type alicloud struct {
	t      testing.TB
	client *apig.Client
}

func newAlicloud(t testing.TB, host string) alicloud {
	c, err := apig.NewClient(&openapiutil.Config{Endpoint: dara.String(host), Protocol: dara.String("http"), SignatureAlgorithm: dara.String("v2"),
		AccessKeyId: dara.String(credentials.DevAlibabaKeyID), AccessKeySecret: dara.String(credentials.DevAlibabaSecret)})
	if err != nil {
		t.Fatal(err)
	}
	return alicloud{t: t, client: c}
}

// roa is connectivity.roaRequest: method and path, the body as JSON, and the answer's body.
func (a alicloud) roa(method, path string, body map[string]any) (map[string]any, error) {
	params := &openapiutil.Params{Action: dara.String("tfreplay"), Version: dara.String("2024-03-27"), Protocol: dara.String("HTTP"),
		Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
		ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
	req := &openapiutil.OpenApiRequest{}
	if body != nil {
		req.Body = body
	}
	resp, err := a.client.CallApi(params, req, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	out, _ := resp["body"].(map[string]any)
	return out, nil
}

// expect is the resource's Read: GET the secret, take $.data, set the configured fields and
// parse both timestamps as the provider does.
func (a alicloud) expect(id string, config map[string]any) {
	a.t.Helper()
	got, err := a.roa("GET", "/v1/secrets/"+id, nil)
	if err != nil {
		a.t.Fatalf("read %s: %v", id, err)
	}
	data, _ := got["data"].(map[string]any)
	for _, k := range []string{"name", "gatewayType", "secretSource", "description"} {
		if data[k] != config[k] {
			a.t.Errorf("read %s: %s = %v, want %v", id, k, data[k], config[k])
		}
	}
	kms, ok := data["kmsConfig"].(map[string]any) // asserted without a check by the provider
	want := config["kmsConfig"].(map[string]any)
	if !ok || kms["kmsInstanceId"] != want["kmsInstanceId"] || kms["kmsKeyId"] != want["kmsKeyId"] {
		a.t.Errorf("read %s: kmsConfig %v, want %v", id, data["kmsConfig"], want)
	}
	for _, k := range []string{"createTimestamp", "updateTimestamp"} {
		n, ok := data[k].(json.Number) // objectRaw[k].(json.Number): anything else panics the provider
		if !ok {
			a.t.Fatalf("read %s: %s is %T, want a JSON number", id, k, data[k])
		}
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			a.t.Fatalf("read %s: %s = %s is not an integer", id, k, n)
		}
	}
	if _, ok := data["secretData"]; ok {
		a.t.Errorf("read %s: the answer carries secretData", id)
	}
}

// notFound is the provider's NotFoundError for these calls: an SDK error with HTTP 404, or
// whose code or message names NotFound.
func notFound(err error) bool {
	var se *tea.SDKError
	if errors.As(err, &se) {
		return dara.IntValue(se.StatusCode) == 404 || strings.Contains(dara.StringValue(se.Code), "NotFound")
	}
	var de *dara.SDKError
	if errors.As(err, &de) {
		return dara.IntValue(de.StatusCode) == 404 || strings.Contains(dara.StringValue(de.Code), "NotFound")
	}
	return strings.Contains(err.Error(), "NotFound")
}

// jsonPath walks m by keys.
func jsonPath(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		obj, _ := v.(map[string]any)
		v = obj[k]
	}
	return v
}
