package localserver

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	"keyport/shared/credentials"
)

// TestKeyManagerThroughTheServer drives the K5 Key Manager lifecycle with gophercloud through
// the real server, in both layouts (upstream Barbican shares /v1/secrets with Alibaba, so this
// also checks the token decides), and scans the log for the payload.
func TestKeyManagerThroughTheServer(t *testing.T) {
	addr, logs, stop := startServer(t, 500)
	defer stop()
	ctx := context.Background()
	for _, base := range []string{"/v1/" + credentials.DevK5Tenant + "/", "/v1/"} {
		t.Run(base, func(t *testing.T) {
			pc := &gophercloud.ProviderClient{}
			pc.SetToken(credentials.DevK5Token)
			c := &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: "http://" + addr + "/", ResourceBase: "http://" + addr + base}
			payload := randomSecret(t, "km-")
			created, err := secrets.Create(ctx, c, secrets.CreateOpts{Name: "through-server"}).Extract()
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			id := created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]
			if err := secrets.Update(ctx, c, id, secrets.UpdateOpts{ContentType: "text/plain", Payload: "-----BEGIN X-----\n" +
				"QUJD\n-----END X-----\n" + payload}).ExtractErr(); err != nil {
				t.Fatalf("Update: %v", err)
			}
			got, err := secrets.GetPayload(ctx, c, id, nil).Extract()
			if err != nil || !strings.HasSuffix(string(got), payload) {
				t.Fatalf("GetPayload: got %q, %v", got, err)
			}
			if _, err := secrets.Get(ctx, c, id).Extract(); err != nil {
				t.Fatalf("Get: %v", err)
			}
			pages, err := secrets.List(c, secrets.ListOpts{Name: "through-server"}).AllPages(ctx)
			if list, _ := secrets.ExtractSecrets(pages); err != nil || len(list) != 1 {
				t.Fatalf("List: got %d, %v; want the secret", len(list), err)
			}
			if err := secrets.Delete(ctx, c, id).ExtractErr(); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := secrets.Get(ctx, c, id).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
				t.Fatalf("Get after Delete: got %v, want 404", err)
			}
			if strings.Contains(logs.String(), payload) {
				t.Errorf("the log holds the payload")
			}
		})
	}
}
