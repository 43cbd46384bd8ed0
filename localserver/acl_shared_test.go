package localserver

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	"keyport/shared/credentials"
)

// TestACLReadFromAnotherProject: a user a secret's read ACL lists reads it (metadata, payload,
// user metadata) with a token of another project, whatever their roles there, in both layouts
// (K5: under their own tenant or the secret's); every other request of theirs, and every
// request of a user the ACL does not list (an admin of the other project, its static K5
// token), gets exactly what an unknown id gets; and the sharing ends with the ACL's users and
// with the secret.
func TestACLReadFromAnotherProject(t *testing.T) {
	srv, _ := keystoneServer(t)
	ctx := context.Background()
	token := func(user, password string) string {
		pc, err := openstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: srv.URL + "/v3",
			Username: user, Password: password, DomainID: "default"})
		if err != nil {
			t.Fatal(err)
		}
		return pc.Token()
	}
	owner := token("member", readerPassword) // a member of the development project
	listed := map[string]string{"member": token("other", otherPassword), "reader": token("other-reader", otherPassword)}
	unlisted := map[string]string{"admin": token("other-admin", otherPassword), "static K5 token": otherK5Token}
	call := func(method, path, tok, body string, header ...string) (int, string) {
		t.Helper()
		r, _ := http.NewRequestWithContext(ctx, method, srv.URL+path, strings.NewReader(body))
		r.Header.Set("X-Auth-Token", tok)
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		status, b := do(t, r)
		return status, string(b)
	}
	const unknown = "11111111-1111-4111-8111-111111111111"
	// asUnknown: the request for id answers exactly as the same request for an unknown id.
	asUnknown := func(what, method, path, id, tok, body string, header ...string) {
		t.Helper()
		gotStatus, got := call(method, strings.ReplaceAll(path, "{id}", id), tok, body, header...)
		wantStatus, want := call(method, strings.ReplaceAll(path, "{id}", unknown), tok, body, header...)
		if gotStatus != wantStatus || got != want || gotStatus < 400 {
			t.Errorf("%s: got %d %s, want the unknown id's %d %s", what, gotStatus, got, wantStatus, want)
		}
	}
	for _, l := range []struct{ name, base, own string }{
		{"barbican", "/v1", "/v1"},
		{"k5", "/v1/" + credentials.DevK5Tenant, "/v1/" + otherProject},
	} {
		t.Run(l.name, func(t *testing.T) {
			status, body := call("POST", l.base+"/secrets", owner, `{"name":"shared","payload":"c2hhcmVk","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`)
			var created struct {
				SecretRef string `json:"secret_ref"`
			}
			if status != 201 || json.Unmarshal([]byte(body), &created) != nil {
				t.Fatalf("create: %d %s", status, body)
			}
			ref := created.SecretRef
			id := ref[strings.LastIndex(ref, "/")+1:]
			if status, body := call("POST", l.base+"/secrets/"+id+"/metadata", owner, `{"key":"k","value":"v"}`); status != 201 {
				t.Fatalf("metadatum: %d %s", status, body)
			}
			setUsers := func(users string) {
				t.Helper()
				if status, body := call("PUT", l.base+"/secrets/"+id+"/acl", owner, `{"read":{"project-access":false,"users":`+users+`}}`); status != 200 {
					t.Fatalf("ACL: %d %s", status, body)
				}
			}
			// A reader of the owner's project reads only what the ACL lists them for.
			ownReader := token("reader", readerPassword)
			if status, body := call("GET", l.base+"/secrets/"+id, ownReader, ""); status != 403 {
				t.Errorf("an unlisted reader of the project: %d %s, want 403", status, body)
			}
			setUsers(`["reader-user"]`)
			if status, body := call("GET", l.base+"/secrets/"+id+"/payload", ownReader, "", "Accept", "application/octet-stream"); status != 200 || body != "shared" {
				t.Errorf("a listed reader of the project: %d %q", status, body)
			}
			if status, _ := call("DELETE", l.base+"/secrets/"+id, ownReader, ""); status != 403 {
				t.Errorf("a listed reader's delete: %d, want 403", status)
			}
			setUsers(`["other-user","other-reader","someone-else"]`)
			// The paths a user of the other project may use: upstream's one; K5's under their
			// own tenant and under the secret's (its ref's).
			paths := []string{l.own + "/secrets/{id}"}
			if l.own != l.base {
				paths = append(paths, l.base+"/secrets/{id}")
			}
			for role, tok := range listed {
				for _, p := range paths {
					at := strings.ReplaceAll(p, "{id}", id)
					sc := &gophercloud.ServiceClient{ProviderClient: &gophercloud.ProviderClient{}, Endpoint: srv.URL + "/",
						ResourceBase: srv.URL + strings.TrimSuffix(p, "secrets/{id}")}
					sc.ProviderClient.SetToken(tok)
					s, err := secrets.Get(ctx, sc, id).Extract()
					if err != nil || s.SecretRef != ref || s.Name != "shared" || s.CreatorID != "member-user" {
						t.Errorf("listed %s, %s: metadata %+v, %v; want the secret with its own ref %s", role, at, s, err, ref)
					}
					payload, err := secrets.GetPayload(ctx, sc, id, secrets.GetPayloadOpts{PayloadContentType: "application/octet-stream"}).Extract()
					if err != nil || string(payload) != "shared" {
						t.Errorf("listed %s, %s: payload %q, %v", role, at, payload, err)
					}
					if status, body := call("GET", at, tok, "", "Accept", "application/octet-stream"); status != 200 || body != "shared" {
						t.Errorf("listed %s, %s: the payload by Accept: %d %q", role, at, status, body)
					}
					if status, body := call("GET", at+"/metadata/k", tok, ""); status != 200 || !strings.Contains(body, `"v"`) {
						t.Errorf("listed %s, %s: user metadata: %d %s", role, at, status, body)
					}
					// Nothing but reads: every other call is the unknown id's answer.
					asUnknown("listed "+role+" deletes", "DELETE", p, id, tok, "")
					asUnknown("listed "+role+" adds a payload", "PUT", p, id, tok, "", "Content-Type", "text/plain")
					asUnknown("listed "+role+" reads the ACL", "GET", p+"/acl", id, tok, "")
					asUnknown("listed "+role+" writes the ACL", "PATCH", p+"/acl", id, tok, `{"read":{"users":[]}}`)
					asUnknown("listed "+role+" removes the ACL", "DELETE", p+"/acl", id, tok, "")
					asUnknown("listed "+role+" adds metadata", "POST", p+"/metadata", id, tok, `{"key":"x","value":"y"}`)
					asUnknown("listed "+role+" changes metadata", "PUT", p+"/metadata/k", id, tok, `{"key":"k","value":"w"}`)
				}
			}
			for who, tok := range unlisted {
				for _, p := range paths {
					asUnknown(who+" reads metadata", "GET", p, id, tok, "")
					asUnknown(who+" reads the payload", "GET", p+"/payload", id, tok, "", "Accept", "application/octet-stream")
					asUnknown(who+" reads user metadata", "GET", p+"/metadata", id, tok, "")
				}
			}
			// The sharing ends when the ACL lists nobody (the project still reads), and comes
			// back when it lists the user again.
			setUsers(`[]`)
			for _, p := range paths {
				asUnknown("after the ACL's users were removed", "GET", p, id, listed["member"], "")
			}
			if status, _ := call("GET", l.base+"/secrets/"+id, owner, ""); status != 200 {
				t.Errorf("the creator after the ACL's users were removed: %d", status)
			}
			setUsers(`["other-user"]`)
			if status, body := call("GET", l.own+"/secrets/"+id, listed["member"], ""); status != 200 {
				t.Errorf("listed again: %d %s", status, body)
			}
			asUnknown("listed no longer", "GET", paths[0], id, listed["reader"], "")
			if status, body := call("DELETE", l.base+"/secrets/"+id+"/acl", owner, ""); status != 200 {
				t.Fatalf("ACL delete: %d %s", status, body)
			}
			asUnknown("after the ACL's delete", "GET", paths[0], id, listed["member"], "")
			setUsers(`["other-user"]`)
			if status, body := call("DELETE", l.base+"/secrets/"+id, owner, ""); status != 204 {
				t.Fatalf("delete: %d %s", status, body)
			}
			for _, p := range paths {
				asUnknown("after the secret's delete", "GET", p, id, listed["member"], "")
			}
		})
	}
}
