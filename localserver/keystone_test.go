package localserver

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
)

const (
	readerPassword = "reader-password"
	otherPassword  = "other-password"
	appCredSecret  = "app-credential-secret"
	appCredID      = "0c6e3a1f5b2d4e8f9a7b6c5d4e3f2a1b"
	otherProject   = "0ther0000000000000000000000000000"
	otherK5Token   = "other-project-static-token"
)

// keystoneServer serves every operation with a document holding the development user, a
// reader on the same project, a member, a reader and an admin of another project (whose static
// K5 token it holds too) and an application credential of the development user. Its clock (the identity operations' Now) can be moved, so a token can
// be issued already expired.
func keystoneServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var offset atomic.Int64 // added to the identity operations' clock
	data := localdatatest.Open(t)
	svc := quietServices(data.Store, data.Sealer, keystoneBook(t))
	svc.now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv := httptest.NewServer(newMux(svc))
	t.Cleanup(srv.Close)
	return srv, &offset
}

// keystoneBook is keystoneServer's credentials document.
func keystoneBook(t *testing.T) *credentials.Book {
	t.Helper()
	hash := func(p string) string {
		h, err := credentials.HashPassword(p)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	book, err := credentials.FromDocument(credentials.Document{
		K5: []credentials.K5Token{{Token: credentials.DevK5Token, Tenant: credentials.DevK5Tenant}, {Token: otherK5Token, Tenant: otherProject}},
		Users: []credentials.User{
			{ID: credentials.DevUserID, Name: credentials.DevUserName, Password: hash(credentials.DevUserPassword),
				Projects: []credentials.Project{{ID: credentials.DevK5Tenant, Name: credentials.DevProjectName, Roles: []string{"admin", "member", "reader"}}}},
			{ID: "member-user", Name: "member", Password: hash(readerPassword),
				Projects: []credentials.Project{{ID: credentials.DevK5Tenant, Name: credentials.DevProjectName, Roles: []string{"member"}}}},
			{ID: "reader-user", Name: "reader", Password: hash(readerPassword),
				Projects: []credentials.Project{{ID: credentials.DevK5Tenant, Name: credentials.DevProjectName, Roles: []string{"reader"}}}},
			{ID: "other-user", Name: "other", Password: hash(otherPassword),
				Projects: []credentials.Project{{ID: otherProject, Name: "other", Roles: []string{"member"}}}},
			{ID: "other-reader", Name: "other-reader", Password: hash(otherPassword),
				Projects: []credentials.Project{{ID: otherProject, Name: "other", Roles: []string{"reader"}}}},
			{ID: "other-admin", Name: "other-admin", Password: hash(otherPassword),
				Projects: []credentials.Project{{ID: otherProject, Name: "other", Roles: []string{"admin", "member", "reader"}}}},
		},
		ApplicationCredentials: []credentials.ApplicationCredential{{ID: appCredID, Name: "ci", Secret: hash(appCredSecret),
			User: credentials.DevUserID, Project: credentials.DevK5Tenant, Roles: []string{"member"}}},
		Keystone: credentials.Keystone{TokenKeys: []string{"MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE="}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return book
}

// TestGophercloudThroughKeystone: gophercloud v2.15.0's openstack.AuthenticatedClient with a
// password (identity endpoint with and without /v3) and with an application credential, then
// NewKeyManagerV1 from the token's catalog and a whole secret lifecycle, its creator the user.
func TestGophercloudThroughKeystone(t *testing.T) {
	srv, _ := keystoneServer(t)
	ctx := context.Background()
	for name, opts := range map[string]gophercloud.AuthOptions{
		"password": {IdentityEndpoint: srv.URL + "/v3", Username: credentials.DevUserName, Password: credentials.DevUserPassword,
			DomainID: "default", TenantID: credentials.DevK5Tenant},
		"password, versionless endpoint, project by name": {IdentityEndpoint: srv.URL + "/", Username: credentials.DevUserName,
			Password: credentials.DevUserPassword, DomainName: "Default", TenantName: credentials.DevProjectName},
		"application credential": {IdentityEndpoint: srv.URL + "/v3", ApplicationCredentialID: appCredID, ApplicationCredentialSecret: appCredSecret},
		"application credential by name": {IdentityEndpoint: srv.URL + "/v3", ApplicationCredentialName: "ci", UserID: credentials.DevUserID,
			ApplicationCredentialSecret: appCredSecret},
	} {
		t.Run(name, func(t *testing.T) {
			pc, err := openstack.AuthenticatedClient(ctx, opts)
			if err != nil {
				t.Fatalf("AuthenticatedClient: %v", err)
			}
			kc, err := openstack.NewKeyManagerV1(pc, gophercloud.EndpointOpts{Region: "RegionOne"})
			if err != nil {
				t.Fatalf("NewKeyManagerV1: %v", err)
			}
			if kc.ResourceBase != srv.URL+"/v1/" {
				t.Errorf("ResourceBase = %q, want %s/v1/", kc.ResourceBase, srv.URL)
			}
			lifecycle(t, kc)
		})
	}
}

// lifecycle creates, reads, lists, adds metadata to and deletes a secret through kc.
func lifecycle(t *testing.T, kc *gophercloud.ServiceClient) {
	t.Helper()
	ctx := context.Background()
	payload := randomSecret(t, "ks-")
	created, err := secrets.Create(ctx, kc, secrets.CreateOpts{Name: "keystone-" + payload[:8], SecretType: secrets.OpaqueSecret,
		Payload: payload, PayloadContentType: "text/plain"}).Extract()
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	id := created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]
	s, err := secrets.Get(ctx, kc, id).Extract()
	if err != nil || s.CreatorID != credentials.DevUserID || s.Status != "ACTIVE" {
		t.Fatalf("Get: got %+v, %v; want creator_id %s", s, err, credentials.DevUserID)
	}
	got, err := secrets.GetPayload(ctx, kc, id, nil).Extract()
	if err != nil || string(got) != payload {
		t.Fatalf("GetPayload: %v", err)
	}
	pages, err := secrets.List(kc, secrets.ListOpts{Name: "keystone-" + payload[:8]}).AllPages(ctx)
	if list, _ := secrets.ExtractSecrets(pages); err != nil || len(list) != 1 {
		t.Fatalf("List: got %d, %v", len(list), err)
	}
	if _, err := secrets.CreateMetadata(ctx, kc, id, secrets.MetadataOpts{"env": "test"}).Extract(); err != nil {
		t.Fatalf("CreateMetadata: %v", err)
	}
	if err := secrets.Delete(ctx, kc, id).ExtractErr(); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := secrets.Get(ctx, kc, id).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("Get after Delete: got %v, want 404", err)
	}
}

// TestGophercloudReauthenticates: a token that has expired is 401 on the key manager, and
// AllowReauth gets a new one and retries; without it the 401 is the caller's.
func TestGophercloudReauthenticates(t *testing.T) {
	srv, offset := keystoneServer(t)
	ctx := context.Background()
	for _, reauth := range []bool{true, false} {
		offset.Store(int64(-2 * time.Hour)) // the token is issued two hours ago: expired an hour ago
		pc, err := openstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: srv.URL + "/v3",
			Username: credentials.DevUserName, Password: credentials.DevUserPassword, DomainID: "default", AllowReauth: reauth})
		if err != nil {
			t.Fatal(err)
		}
		offset.Store(0)
		expired := pc.Token()
		kc, err := openstack.NewKeyManagerV1(pc, gophercloud.EndpointOpts{})
		if reauth {
			if err != nil {
				t.Fatalf("NewKeyManagerV1 after re-authentication: %v", err)
			}
			lifecycle(t, kc)
			if pc.Token() == expired {
				t.Error("the provider kept the expired token")
			}
			continue
		}
		if err == nil { // discovery needs no token; the first secret call does
			_, err = secrets.List(kc, nil).AllPages(ctx)
		}
		if !gophercloud.ResponseCodeIs(err, http.StatusUnauthorized) {
			t.Errorf("an expired token without AllowReauth: got %v, want 401", err)
		}
	}
}

// TestKeystoneRefusals: wrong and unknown credentials, tampered and expired tokens, another
// project's token, and a reader writing or reading a payload.
func TestKeystoneRefusals(t *testing.T) {
	srv, _ := keystoneServer(t)
	ctx := context.Background()
	auth := func(opts gophercloud.AuthOptions) (*gophercloud.ProviderClient, error) {
		opts.IdentityEndpoint = srv.URL + "/v3"
		return openstack.AuthenticatedClient(ctx, opts)
	}
	for name, opts := range map[string]gophercloud.AuthOptions{
		"wrong password":         {Username: credentials.DevUserName, Password: "wrong", DomainID: "default"},
		"unknown user":           {Username: "nobody", Password: credentials.DevUserPassword, DomainID: "default"},
		"wrong domain":           {Username: credentials.DevUserName, Password: credentials.DevUserPassword, DomainID: "elsewhere"},
		"another project":        {Username: credentials.DevUserName, Password: credentials.DevUserPassword, DomainID: "default", TenantID: "0ther0000000000000000000000000000"},
		"wrong secret":           {ApplicationCredentialID: appCredID, ApplicationCredentialSecret: "wrong"},
		"unknown app credential": {ApplicationCredentialID: "nope", ApplicationCredentialSecret: appCredSecret},
	} {
		if _, err := auth(opts); !gophercloud.ResponseCodeIs(err, http.StatusUnauthorized) {
			t.Errorf("%s: got %v, want 401", name, err)
		}
	}

	dev, err := auth(gophercloud.AuthOptions{Username: credentials.DevUserName, Password: credentials.DevUserPassword, DomainID: "default"})
	if err != nil {
		t.Fatal(err)
	}
	devKC, _ := openstack.NewKeyManagerV1(dev, gophercloud.EndpointOpts{})
	created, err := secrets.Create(ctx, devKC, secrets.CreateOpts{Name: "dev-only", Payload: "dev-payload", PayloadContentType: "text/plain"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	id := created.SecretRef[strings.LastIndex(created.SecretRef, "/")+1:]

	client := func(token, base string) *gophercloud.ServiceClient {
		pc := &gophercloud.ProviderClient{}
		pc.SetToken(token)
		return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: srv.URL + "/", ResourceBase: srv.URL + base}
	}
	good := dev.Token()
	for name, token := range map[string]string{"tampered": good[:len(good)-4] + "AAAA", "truncated": good[:40], "static-looking": "keyport-local-dev-x"} {
		for _, base := range []string{"/v1/", "/v1/" + credentials.DevK5Tenant + "/"} {
			if _, err := secrets.Get(ctx, client(token, base), id).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusUnauthorized) {
				t.Errorf("%s token on %s: got %v, want 401", name, base, err)
			}
		}
	}

	other, err := auth(gophercloud.AuthOptions{Username: "other", Password: otherPassword, DomainID: "default"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.Get(ctx, client(other.Token(), "/v1/"), id).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Errorf("another project's token, upstream: got %v, want 404 (its project has no such secret)", err)
	}
	if _, err := secrets.Get(ctx, client(other.Token(), "/v1/"+credentials.DevK5Tenant+"/"), id).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Errorf("another project's token on the K5 path: got %v, want 403", err)
	}

	reader, err := auth(gophercloud.AuthOptions{Username: "reader", Password: readerPassword, DomainID: "default"})
	if err != nil {
		t.Fatal(err)
	}
	rc := client(reader.Token(), "/v1/")
	checks := map[string]error{
		"create":  secrets.Create(ctx, rc, secrets.CreateOpts{Name: "reader"}).Err,
		"payload": secrets.GetPayload(ctx, rc, id, nil).Err,
		"delete":  secrets.Delete(ctx, rc, id).Err,
		"update":  secrets.Update(ctx, rc, id, secrets.UpdateOpts{Payload: "x", ContentType: "text/plain"}).Err,
	}
	for name, err := range checks {
		if !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
			t.Errorf("reader %s: got %v, want 403", name, err)
		}
	}
	if got, err := secrets.GetPayload(ctx, devKC, id, nil).Extract(); err != nil || string(got) != "dev-payload" {
		t.Errorf("after the refusals the secret reads %q, %v; want it untouched", got, err)
	}
	var unexpected gophercloud.ErrUnexpectedResponseCode
	if err := secrets.Create(ctx, rc, secrets.CreateOpts{Name: "reader"}).Err; errors.As(err, &unexpected) && strings.Contains(string(unexpected.Body), reader.Token()) {
		t.Error("the 403 quotes the token")
	}
}
