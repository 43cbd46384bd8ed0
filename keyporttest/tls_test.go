package keyporttest_test

import (
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
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"keyport/keyporttest"
)

// TestSDKsOverHTTPS drives one client per vendor over HTTPS with its default scheme: only the
// endpoint changes, and the CA is trusted the way each client takes it.
func TestSDKsOverHTTPS(t *testing.T) {
	kp := keyporttest.Start(t, keyporttest.Options{TLS: true})
	if !strings.HasPrefix(kp.URL, "https://") || kp.CAPEM == "" || kp.CAFile == "" {
		t.Fatalf("got URL %q, CA file %q; want https and a CA", kp.URL, kp.CAFile)
	}
	t.Run("tencent", func(t *testing.T) {
		cpf := profile.NewClientProfile() // Scheme left at its default, HTTPS
		cpf.HttpProfile.Endpoint = kp.Tencent.Endpoint
		client := common.NewCommonClient(common.NewCredential(kp.Tencent.SecretID, kp.Tencent.SecretKey), "ap-guangzhou", cpf).
			WithHttpTransport(kp.HTTPClient.Transport)
		req := tchttp.NewCommonRequest("apigateway", "2018-08-08", "CreateApiKey")
		_ = req.SetActionParameters(map[string]any{"SecretName": "tls_key"})
		if err := client.Send(req, tchttp.NewCommonResponse()); err != nil {
			t.Fatalf("CreateApiKey over HTTPS: %v", err)
		}
	})
	t.Run("alibaba", func(t *testing.T) {
		client, err := apig.NewClient(&openapiutil.Config{ // Protocol left at its default, HTTPS
			Endpoint: dara.String(kp.Alibaba.Endpoint), Ca: dara.String(kp.CAPEM),
			AccessKeyId: dara.String(kp.Alibaba.AccessKeyID), AccessKeySecret: dara.String(kp.Alibaba.AccessKeySecret),
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = client.CreateSecret(&apig.CreateSecretRequest{
			Name: dara.String("tls_secret"), SecretData: dara.String("v"), GatewayType: dara.String("API"), SecretSource: dara.String("KMS"),
			KmsConfig: &apig.KMSConfig{KmsInstanceId: dara.String("kst-1"), KmsKeyId: dara.String("key-1")},
		})
		if err != nil {
			t.Fatalf("CreateSecret over HTTPS: %v", err)
		}
	})
	t.Run("gcore", func(t *testing.T) {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/cloud/v1/secrets/%d/76", kp.Gcore.BaseURL, kp.Gcore.ProjectID),
			strings.NewReader(`{"name":"tls","payload":"aGVsbG8=","payload_content_encoding":"base64","payload_content_type":"application/octet-stream","secret_type":"opaque"}`))
		req.Header.Set("Authorization", "APIKey "+kp.Gcore.APIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := kp.HTTPClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var created struct{ Tasks []string }
		if err := json.NewDecoder(resp.Body).Decode(&created); err != nil || len(created.Tasks) != 1 {
			t.Fatalf("create over HTTPS: got status %d, %v, %v; want one task", resp.StatusCode, created, err)
		}
	})
	t.Run("k5", func(t *testing.T) {
		_, err := secrets.Create(context.Background(), kp.K5, secrets.CreateOpts{Name: "tls",
			Payload: base64.StdEncoding.EncodeToString([]byte("x")), PayloadContentType: "application/octet-stream", PayloadContentEncoding: "base64",
		}).Extract()
		if err != nil {
			t.Fatalf("create over HTTPS: %v", err)
		}
	})
}

// The server speaks HTTPS only, and a client that does not trust its CA is refused.
func TestHTTPSOnly(t *testing.T) {
	kp := keyporttest.Start(t, keyporttest.Options{TLS: true})
	if resp, err := http.Get(kp.URL + "/_keyport/health"); err == nil {
		resp.Body.Close()
		t.Error("a client without the CA: got an answer, want a certificate error")
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("a client without the CA: got %v, want a certificate error", err)
	}
	resp, err := http.Get("http://" + kp.Host + "/_keyport/health")
	if err == nil {
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP to the HTTPS port: got status %d, want 400 (Go's answer to HTTP on a TLS port)", resp.StatusCode)
		}
	}
	resp, err = kp.HTTPClient.Get(kp.URL + "/_keyport/health")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("health with the CA trusted: got %v, %v; want 200", resp, err)
	}
	resp.Body.Close()
}
