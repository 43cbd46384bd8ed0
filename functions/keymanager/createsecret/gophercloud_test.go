package createsecret

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	"keyport/shared/api/keymanager/kmsecret"
)

// serviceClient is gophercloud without Keystone (docs/wire/keymanager.md, "Clients"): a static
// token and the K5 layout, ResourceBase <server>/v1/<tenant>/.
func serviceClient(url, token, tenant string) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{}
	pc.SetToken(token)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: url + "/", ResourceBase: url + "/v1/" + tenant + "/"}
}

// TestGophercloudCreate drives the handler with gophercloud v2.15.0's secrets.Create, the
// client K5 users run, and checks what it gets back and what was stored.
func TestGophercloudCreate(t *testing.T) {
	expiry := time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		opts    secrets.CreateOpts
		attrs   map[string]string // expected subset of the stored attrs
		payload string            // what the blob opens to; "" for none
	}{
		{name: "octet-stream base64",
			opts: secrets.CreateOpts{Name: "k", Payload: "c2VjcmV0LXZhbHVl", PayloadContentType: "application/octet-stream",
				PayloadContentEncoding: "base64", SecretType: secrets.OpaqueSecret},
			attrs: map[string]string{"name": "k", "secret_type": "opaque", "payload_content_encoding": "base64"}, payload: "secret-value"},
		{name: "text/plain PEM",
			opts:  secrets.CreateOpts{Name: "cert", Payload: pemKey, PayloadContentType: "text/plain", SecretType: secrets.CertificateSecret},
			attrs: map[string]string{"name": "cert", "secret_type": "certificate", "payload_content_type": "text/plain"}, payload: pemKey},
		{name: "metadata only",
			opts:  secrets.CreateOpts{Name: "meta", Algorithm: "aes", BitLength: 256, Mode: "cbc", SecretType: secrets.SymmetricSecret},
			attrs: map[string]string{"name": "meta", "algorithm": "aes", "bit_length": "256", "mode": "cbc", "secret_type": "symmetric"}},
		{name: "with expiration",
			opts:  secrets.CreateOpts{Name: "exp", Expiration: &expiry},
			attrs: map[string]string{"name": "exp", "expiration": "2099-01-02T03:04:05", "secret_type": "opaque"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			srv := httptest.NewServer(e.mux)
			defer srv.Close()
			got, err := secrets.Create(context.Background(), serviceClient(srv.URL, devToken, devTenant), tt.opts).Extract()
			if err != nil {
				t.Fatalf("secrets.Create: %v", err)
			}
			prefix := srv.URL + "/v1/" + devTenant + "/secrets/"
			id, ok := strings.CutPrefix(got.SecretRef, prefix)
			if !ok || !uuidRE.MatchString(id) || len(id) != 36 {
				t.Fatalf("SecretRef: got %q, want %s<uuid v4>", got.SecretRef, prefix)
			}
			rec, err := e.store.Get(context.Background(), kmsecret.Ref(devTenant, id))
			if err != nil {
				t.Fatalf("stored record: %v", err)
			}
			for k, v := range tt.attrs {
				if rec.Attrs[k] != v {
					t.Errorf("attr %s: got %v, want %q", k, rec.Attrs[k], v)
				}
			}
			if tt.opts.Expiration != nil && !rec.ExpiresAt.Equal(expiry) {
				t.Errorf("ExpiresAt: got %v, want %v", rec.ExpiresAt, expiry)
			}
			if tt.payload == "" {
				if rec.Sealed != nil {
					t.Errorf("Sealed: got %d bytes, want none for metadata only", len(rec.Sealed))
				}
				return
			}
			checkSealed(t, e.sealer, rec, tt.payload)
		})
	}
}

// TestGophercloudErrors checks refusals surface in gophercloud as the status K5 documents.
func TestGophercloudErrors(t *testing.T) {
	tests := []struct {
		name, token, tenant string
		opts                secrets.CreateOpts
		status              int
		body                string // a fragment of the error body gophercloud reports
	}{
		{"wrong token", "wrong", devTenant, secrets.CreateOpts{Name: "k"}, http.StatusUnauthorized, "requires authentication"},
		{"other tenant", devToken, "someoneelse", secrets.CreateOpts{Name: "k"}, http.StatusForbidden, "not allowed"},
		{"text payload without PEM", devToken, devTenant, secrets.CreateOpts{Payload: "plain secret", PayloadContentType: "text/plain"},
			http.StatusBadRequest, "Invalid property: 'payload'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			srv := httptest.NewServer(e.mux)
			defer srv.Close()
			_, err := secrets.Create(context.Background(), serviceClient(srv.URL, tt.token, tt.tenant), tt.opts).Extract()
			if !gophercloud.ResponseCodeIs(err, tt.status) {
				t.Fatalf("secrets.Create error: got %v, want HTTP %d", err, tt.status)
			}
			if !strings.Contains(err.Error(), tt.body) {
				t.Errorf("error %q: want it to contain %q", err, tt.body)
			}
			if n := e.count(t); n != 0 {
				t.Errorf("store holds %d records, want 0", n)
			}
		})
	}
}
