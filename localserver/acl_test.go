package localserver

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/acls"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	"keyport/shared/credentials"
)

// TestSecretACLs drives gophercloud's acls package in both layouts: Barbican's default ACL,
// PUT replacing, PATCH merging, DELETE restoring the default, and what a private ACL
// (project-access false) does to a member who is neither the creator nor listed.
func TestSecretACLs(t *testing.T) {
	srv, _ := keystoneServer(t)
	ctx := context.Background()
	login := func(user, password string) *gophercloud.ProviderClient {
		pc, err := openstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: srv.URL + "/v3",
			Username: user, Password: password, DomainID: "default"})
		if err != nil {
			t.Fatal(err)
		}
		return pc
	}
	client := func(token, base string) *gophercloud.ServiceClient {
		pc := &gophercloud.ProviderClient{}
		pc.SetToken(token)
		return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: srv.URL + "/", ResourceBase: srv.URL + base}
	}
	dev := login(credentials.DevUserName, credentials.DevUserPassword)
	member := login("member", readerPassword)
	other := login("other", otherPassword)
	for _, base := range []string{"/v1/", "/v1/" + credentials.DevK5Tenant + "/"} {
		t.Run(base, func(t *testing.T) {
			// The creator is a plain member, so the private ACL's limits apply to the others.
			mc := client(member.Token(), base)
			created, err := secrets.Create(ctx, mc, secrets.CreateOpts{Name: "acl", Payload: "YWNsLXBheWxvYWQ=",
				PayloadContentType: "application/octet-stream", PayloadContentEncoding: "base64"}).Extract()
			if err != nil {
				t.Fatal(err)
			}
			id := created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]
			acl, err := acls.GetSecretACL(ctx, mc, id).Extract()
			if err != nil || len(*acl) != 1 || !(*acl)["read"].ProjectAccess || len((*acl)["read"].Users) != 0 || !(*acl)["read"].Created.IsZero() {
				t.Fatalf("default ACL: got %+v, %v; want read with project access only", acl, err)
			}
			no := false
			ref, err := acls.SetSecretACL(ctx, mc, id, acls.SetOpts{{Type: "read", ProjectAccess: &no, Users: &[]string{"someone"}}}).Extract()
			if err != nil || *ref != acls.ACLRef(srv.URL+base+"secrets/"+id+"/acl") {
				t.Fatalf("PUT: got %v, %v", ref, err)
			}
			acl, err = acls.GetSecretACL(ctx, mc, id).Extract()
			if r := (*acl)["read"]; err != nil || r.ProjectAccess || strings.Join(r.Users, ",") != "someone" || r.Created.IsZero() || r.Updated.IsZero() {
				t.Fatalf("after PUT: got %+v, %v", acl, err)
			}
			// Private: the static token (a project's) and the creator read; another member does
			// not, until the ACL lists them; an admin always reads.
			uc := client(dev.Token(), base)
			octet := secrets.GetPayloadOpts{PayloadContentType: "application/octet-stream"}
			sc := client(credentials.DevK5Token, base)
			if _, err := secrets.GetPayload(ctx, sc, id, octet).Extract(); err != nil {
				t.Errorf("static token on a private secret: %v", err)
			}
			if _, err := secrets.GetPayload(ctx, uc, id, octet).Extract(); err != nil {
				t.Errorf("admin on a private secret: %v", err)
			}
			// PATCH changes only the users; project-access stays false.
			ref, err = acls.UpdateSecretACL(ctx, mc, id, acls.SetOpts{{Type: "read", Users: &[]string{credentials.DevUserID}}}).Extract()
			if err != nil || ref == nil {
				t.Fatalf("PATCH: %v", err)
			}
			acl, _ = acls.GetSecretACL(ctx, mc, id).Extract()
			if r := (*acl)["read"]; r.ProjectAccess || strings.Join(r.Users, ",") != credentials.DevUserID {
				t.Errorf("after PATCH: got %+v, want project access still false and the new users", r)
			}
			if _, err := acls.GetSecretACL(ctx, client(other.Token(), "/v1/"), id).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
				t.Errorf("another project's ACL read: got %v, want 404", err)
			}
			if err := acls.DeleteSecretACL(ctx, mc, id).ExtractErr(); err != nil {
				t.Fatalf("DELETE: %v", err)
			}
			acl, _ = acls.GetSecretACL(ctx, mc, id).Extract()
			if r := (*acl)["read"]; !r.ProjectAccess || len(r.Users) != 0 || !r.Created.IsZero() {
				t.Errorf("after DELETE: got %+v, want the default", r)
			}
			if err := secrets.Delete(ctx, mc, id).ExtractErr(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestPrivateSecretRefusesUnlistedMembers: a member who did not create a private secret and is
// not on its ACL can neither read nor change it; once listed, they read it but still cannot
// change it.
func TestPrivateSecretRefusesUnlistedMembers(t *testing.T) {
	srv, _ := keystoneServer(t)
	ctx := context.Background()
	pc, err := openstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: srv.URL + "/v3",
		Username: "member", Password: readerPassword, DomainID: "default"})
	if err != nil {
		t.Fatal(err)
	}
	mc, _ := openstack.NewKeyManagerV1(pc, gophercloud.EndpointOpts{})
	// The secret is the static token's (no creator), private, listing nobody.
	sc := &gophercloud.ServiceClient{ProviderClient: &gophercloud.ProviderClient{}, Endpoint: srv.URL + "/", ResourceBase: srv.URL + "/v1/"}
	sc.ProviderClient.SetToken(credentials.DevK5Token)
	created, err := secrets.Create(ctx, sc, secrets.CreateOpts{Name: "private", Payload: "private-payload", PayloadContentType: "text/plain"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	id := created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]
	no := false
	if _, err := acls.SetSecretACL(ctx, sc, id, acls.SetOpts{{Type: "read", ProjectAccess: &no}}).Extract(); err != nil {
		t.Fatal(err)
	}
	refused := func(what string, err error) {
		t.Helper()
		if !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
			t.Errorf("%s: got %v, want 403", what, err)
		}
	}
	refused("payload", secrets.GetPayload(ctx, mc, id, nil).Err)
	refused("metadata", secrets.Get(ctx, mc, id).Err)
	refused("ACL change", acls.UpdateSecretACL(ctx, mc, id, acls.SetOpts{{Type: "read", Users: &[]string{"member-user"}}}).Err)
	refused("delete", secrets.Delete(ctx, mc, id).Err)
	if _, err := acls.UpdateSecretACL(ctx, sc, id, acls.SetOpts{{Type: "read", Users: &[]string{"member-user"}}}).Extract(); err != nil {
		t.Fatal(err)
	}
	if got, err := secrets.GetPayload(ctx, mc, id, nil).Extract(); err != nil || string(got) != "private-payload" {
		t.Errorf("a listed member's read: got %q, %v", got, err)
	}
	refused("a listed member's delete", secrets.Delete(ctx, mc, id).Err)
}

// TestACLRefusesMalformedBodies: Barbican's ACL validator's refusals, 400 naming the member.
func TestACLRefusesMalformedBodies(t *testing.T) {
	srv, _ := keystoneServer(t)
	ctx := context.Background()
	sc := &gophercloud.ServiceClient{ProviderClient: &gophercloud.ProviderClient{}, Endpoint: srv.URL + "/", ResourceBase: srv.URL + "/v1/"}
	sc.ProviderClient.SetToken(credentials.DevK5Token)
	created, err := secrets.Create(ctx, sc, secrets.CreateOpts{Name: "acl-bodies"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	url := created.SecretRef + "/acl"
	for body, field := range map[string]string{
		`not json`:                         "",
		`{"write":{}}`:                     "write",
		`{"read":[]}`:                      "read",
		`{"read":{"users":"x"}}`:           "users",
		`{"read":{"users":[1]}}`:           "users",
		`{"read":{"users":[""]}}`:          "users",
		`{"read":{"project-access":"no"}}`: "project-access",
		`{"read":{"project-access":null}}`: "project-access",
		`{"read":{"extra":true}}`:          "extra",
	} {
		for _, method := range []string{"PUT", "PATCH"} {
			req, _ := http.NewRequest(method, url, strings.NewReader(body))
			req.Header.Set("X-Auth-Token", credentials.DevK5Token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			buf := make([]byte, 4096)
			n, _ := resp.Body.Read(buf)
			b.Write(buf[:n])
			resp.Body.Close()
			if resp.StatusCode != 400 || !strings.Contains(b.String(), field) {
				t.Errorf("%s %s: got %d %s, want 400 naming %q", method, body, resp.StatusCode, b.String(), field)
			}
		}
	}
	acl, err := acls.GetSecretACL(ctx, sc, created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]).Extract()
	if err != nil || !(*acl)["read"].ProjectAccess || !(*acl)["read"].Created.IsZero() {
		t.Errorf("after the refusals: got %+v, %v; want the default ACL, nothing written", acl, err)
	}
}
