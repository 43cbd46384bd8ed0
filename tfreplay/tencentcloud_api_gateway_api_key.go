package tfreplay

import (
	"slices"
	"testing"
)

// apiKey is apigateway.ApiKey as the provider's read dereferences it: Status always (as
// *apiKey.Status), the rest through d.Set.
type apiKey struct {
	AccessKeyId     *string
	AccessKeySecret *string
	AccessKeyType   *string
	SecretName      *string
	Status          *int64
	ModifiedTime    *string
	CreatedTime     *string
}

const apigw, apigwVersion = "apigateway", "2018-08-08"

// TencentAPIGatewayAPIKey replays tencentcloud_api_gateway_api_key
// (terraform-provider-tencentcloud tencentcloud/services/apigateway/resource_tc_api_gateway_api_key.go
// at commit 0602db7f69c0, with service_tencentcloud_api_gateway.go's helpers) for a manual key
// and an auto key: create (then Disable when status = "off"), read, update the manual key's
// secret, toggle the status, import (read by id), delete (Disable unless off, then Delete) and
// read after delete, which finds an empty set and drops the resource.
func TencentAPIGatewayAPIKey(t testing.TB, host string) {
	c := newTencent(t, host)
	r := tcKeyResource{c: c}

	// Manual key created "off": Create with the id and secret, then Disable with the id.
	id := r.create(map[string]any{"SecretName": "tf_manual", "AccessKeyType": "manual",
		"AccessKeyId": "tf_manual_key", "AccessKeySecret": "tf_manual_secret_0001"}, "tf_manual_key", true)
	r.expect(id, "tf_manual", "manual", "tf_manual_secret_0001", 0)
	// An apply that changes the secret of a key that is off sends UpdateApiKey before the status
	// change; Tencent documents that a disabled key cannot be changed, so it fails, at once.
	err := c.call(apigw, apigwVersion, "UpdateApiKey", map[string]any{"AccessKeyId": id, "AccessKeySecret": "tf_manual_secret_0002"}, nil)
	if code(err) != "UnsupportedOperation.UnsupportedUpdateApiKey" || retried(err) {
		t.Fatalf("UpdateApiKey of a disabled key: got %v, want UnsupportedOperation.UnsupportedUpdateApiKey", err)
	}
	r.expect(id, "tf_manual", "manual", "tf_manual_secret_0001", 0)
	// Update status on (EnableApiKey), Read; then update the secret (UpdateApiKey), Read.
	r.toggle(id, true)
	r.expect(id, "tf_manual", "manual", "tf_manual_secret_0001", 1)
	c.must(apigw, apigwVersion, "UpdateApiKey", map[string]any{"AccessKeyId": id, "AccessKeySecret": "tf_manual_secret_0002"}, nil)
	r.expect(id, "tf_manual", "manual", "tf_manual_secret_0002", 1)
	r.expect(id, "tf_manual", "manual", "tf_manual_secret_0002", 1) // import: passthrough id, Read
	r.delete(id, true)
	r.gone(id)

	// Auto key created "on" (the default): Create with no id, SetId from the answer.
	id = r.create(map[string]any{"SecretName": "tf_auto", "AccessKeyType": "auto"}, "", false)
	r.expect(id, "tf_auto", "auto", "", 1)
	r.toggle(id, false)
	r.expect(id, "tf_auto", "auto", "", 0)
	r.delete(id, false) // status off: Delete alone
	r.gone(id)

	// Auto key created "off": the provider's Create sends DisableApiKey with AccessKeyId "" (its
	// local id is filled for manual keys only). The server must refuse that at once, with a
	// code the provider does not retry for ten minutes, and leave the new key as it was.
	var created struct{ Result apiKey }
	c.must(apigw, apigwVersion, "CreateApiKey", map[string]any{"SecretName": "tf_auto_off", "AccessKeyType": "auto"}, &created)
	err = c.call(apigw, apigwVersion, "DisableApiKey", map[string]any{"AccessKeyId": ""}, nil)
	if err == nil || retried(err) {
		t.Fatalf("DisableApiKey with AccessKeyId \"\": got %v, want an error the provider does not retry", err)
	}
	r.expect(*created.Result.AccessKeyId, "tf_auto_off", "auto", "", 1)
}

// tcKeyResource is the provider's resource functions over one client.
type tcKeyResource struct{ c tencent }

// create is the resource's Create: CreateApiKey, then DisableApiKey(id) when status is off,
// then SetId(*Result.AccessKeyId).
func (r tcKeyResource) create(params map[string]any, manualID string, off bool) string {
	r.c.t.Helper()
	var out struct{ Result *apiKey }
	r.c.must(apigw, apigwVersion, "CreateApiKey", params, &out)
	if out.Result == nil || out.Result.AccessKeyId == nil || *out.Result.AccessKeyId == "" {
		r.c.t.Fatalf("CreateApiKey: Result.AccessKeyId missing")
	}
	if manualID != "" && *out.Result.AccessKeyId != manualID {
		r.c.t.Fatalf("CreateApiKey: got id %q, want the manual id %q", *out.Result.AccessKeyId, manualID)
	}
	if off {
		r.disable(manualID)
	}
	return *out.Result.AccessKeyId
}

// read is the resource's Read: the service's DescribeApiKey, which is DescribeApiKeysStatus
// filtered by AccessKeyId; the first key is the resource, an empty set means gone.
func (r tcKeyResource) read(id string) (apiKey, bool) {
	r.c.t.Helper()
	set := describeKeys(r.c, "", id)
	if len(set) == 0 {
		return apiKey{}, false
	}
	return set[0], true
}

// describeKeys is the service's DescribeApiKeysStatus(secretName, accessKeyId): a SecretName and
// an AccessKeyId filter for those given, 100 a page from offset 0 until a short page.
func describeKeys(c tencent, secretName, accessKeyID string) []apiKey {
	c.t.Helper()
	var filters []map[string]any
	if secretName != "" {
		filters = append(filters, map[string]any{"Name": "SecretName", "Values": []string{secretName}})
	}
	if accessKeyID != "" {
		filters = append(filters, map[string]any{"Name": "AccessKeyId", "Values": []string{accessKeyID}})
	}
	var set []apiKey
	for offset := 0; ; offset += 100 {
		var out struct {
			Result *struct{ ApiKeySet []apiKey }
		}
		params := map[string]any{"Limit": 100, "Offset": offset}
		if filters != nil {
			params["Filters"] = filters
		}
		c.must(apigw, apigwVersion, "DescribeApiKeysStatus", params, &out)
		if out.Result == nil {
			c.t.Fatal("DescribeApiKeysStatus: empty response")
		}
		set = append(set, out.Result.ApiKeySet...)
		if len(out.Result.ApiKeySet) < 100 {
			return set
		}
	}
}

// TencentAPIGatewayAPIKeysDataSource replays the tencentcloud_api_gateway_api_keys data source
// (tencentcloud/services/apigateway/data_source_tc_api_gateway_api_keys.go, commit
// 4b0a358ddf0a): DescribeApiKeysStatus with its secret_name and api_key_id filters, every key's
// Status dereferenced; no match is an empty list, not an error.
func TencentAPIGatewayAPIKeysDataSource(t testing.TB, host string) {
	c := newTencent(t, host)
	r := tcKeyResource{c: c}
	alpha := r.create(map[string]any{"SecretName": "tf_ds_alpha", "AccessKeyType": "auto"}, "", false)
	beta := r.create(map[string]any{"SecretName": "tf_ds_beta", "AccessKeyType": "auto"}, "", false)
	for _, tc := range []struct {
		name, id string
		want     []string
	}{
		{"tf_ds_alpha", "", []string{alpha}},
		{"", beta, []string{beta}},
		{"tf_ds_alpha", alpha, []string{alpha}},
		{"tf_ds_alpha", beta, nil},
		{"tf_ds_absent", "", nil},
	} {
		var got []string
		for _, k := range describeKeys(c, tc.name, tc.id) {
			if k.Status == nil || k.AccessKeyId == nil {
				t.Fatalf("data source %q/%q: a key without Status or AccessKeyId: %+v", tc.name, tc.id, k)
			}
			got = append(got, *k.AccessKeyId)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("data source secret_name %q api_key_id %q: got %v, want %v", tc.name, tc.id, got, tc.want)
		}
	}
	if all := describeKeys(c, "", ""); len(all) < 2 {
		t.Errorf("data source without filters: got %d keys, want both", len(all))
	}
}

// expect reads id and checks what the provider sets from it; secret "" skips the secret check
// (an auto key's is generated).
func (r tcKeyResource) expect(id, name, typ, secret string, status int64) {
	r.c.t.Helper()
	k, ok := r.read(id)
	if !ok {
		r.c.t.Fatalf("read %s: empty set, the provider would drop the resource", id)
	}
	if k.Status == nil || *k.Status != status {
		r.c.t.Fatalf("read %s: Status %v, want %d (the provider dereferences it)", id, k.Status, status)
	}
	if deref(k.AccessKeyId) != id || deref(k.SecretName) != name || deref(k.AccessKeyType) != typ ||
		secret != "" && deref(k.AccessKeySecret) != secret || deref(k.AccessKeySecret) == "" ||
		deref(k.CreatedTime) == "" || deref(k.ModifiedTime) == "" {
		r.c.t.Fatalf("read %s: got %+v", id, k)
	}
}

// toggle is the Update of status: EnableApiKey or DisableApiKey, Result must be true.
func (r tcKeyResource) toggle(id string, on bool) {
	r.c.t.Helper()
	if on {
		r.result("EnableApiKey", id)
	} else {
		r.disable(id)
	}
}

func (r tcKeyResource) disable(id string) { r.c.t.Helper(); r.result("DisableApiKey", id) }

// delete is the resource's Delete: DisableApiKey unless its status is off, then DeleteApiKey.
func (r tcKeyResource) delete(id string, on bool) {
	r.c.t.Helper()
	if on {
		r.disable(id)
	}
	r.result("DeleteApiKey", id)
}

// result sends an action whose Result the provider requires to be a present true.
func (r tcKeyResource) result(action, id string) {
	r.c.t.Helper()
	var out struct{ Result *bool }
	r.c.must(apigw, apigwVersion, action, map[string]any{"AccessKeyId": id}, &out)
	if out.Result == nil || !*out.Result {
		r.c.t.Fatalf("%s %s: Result %v, want true", action, id, out.Result)
	}
}

// gone is a refresh after delete: the read's empty set removes the resource from state.
func (r tcKeyResource) gone(id string) {
	r.c.t.Helper()
	if k, ok := r.read(id); ok {
		r.c.t.Fatalf("read after delete: got %+v, want an empty set", k)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
