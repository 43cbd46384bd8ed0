package versions_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/functions/identity/versions"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// TestVersionDocuments: every document, its status, and absolute links from the request.
func TestVersionDocuments(t *testing.T) {
	deps := operation.Deps{Store: store.Restrict(nil, 0), Creds: credentials.Dev()}
	h := operation.Mux(operation.Identity, []operation.Row{versions.Root, versions.KeyManager, versions.Identity}, deps, operation.Wrappers{})
	type doc struct {
		ID, Status string
		Links      []struct{ Rel, Href string }
	}
	for _, tt := range []struct {
		path    string
		headers []string
		status  int
		want    []doc
	}{
		{"/", nil, 300, []doc{{"v1", "stable", nil}, {"v3.14", "stable", nil}}},
		{"/v1", nil, 200, []doc{{"v1", "stable", nil}}},
		{"/v1/", []string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "kms.example, proxy.internal"}, 200, []doc{{"v1", "stable", nil}}},
		{"/v3", nil, 200, []doc{{"v3.14", "stable", nil}}},
		{"/v3/", nil, 200, []doc{{"v3.14", "stable", nil}}},
	} {
		r := httptest.NewRequest("GET", tt.path, nil)
		r.Host = "127.0.0.1:8080"
		origin := "http://127.0.0.1:8080"
		for i := 0; i+1 < len(tt.headers); i += 2 {
			r.Header.Set(tt.headers[i], tt.headers[i+1])
			origin = "https://kms.example"
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var body struct {
			Version  *doc
			Versions struct{ Values []doc }
		}
		if rec.Code != tt.status || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
			t.Fatalf("%s: got %d %s", tt.path, rec.Code, rec.Body)
		}
		got := body.Versions.Values
		if body.Version != nil {
			got = []doc{*body.Version}
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s: got %+v", tt.path, got)
		}
		for i, w := range tt.want {
			wantHref := origin + "/" + w.ID[:2] + "/"
			if got[i].ID != w.ID || got[i].Status != w.Status || len(got[i].Links) != 1 || got[i].Links[0].Href != wantHref {
				t.Errorf("%s: got %+v, want %s %s with self %s", tt.path, got[i], w.ID, w.Status, wantHref)
			}
		}
	}
	for _, path := range []string{"/v2", "/v3/users", "/v1/x"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 404 {
			t.Errorf("%s: got %d, want Keystone's 404", path, rec.Code)
		}
	}
}

// TestVersionDocumentsPublicURL: with keystone.publicURL configured every link starts with it,
// whatever Host or X-Forwarded-* the request carries.
func TestVersionDocumentsPublicURL(t *testing.T) {
	doc := credentials.DevDocument()
	doc.Keystone.PublicURL = "https://kms.example.com/openstack/"
	book, err := credentials.FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	deps := operation.Deps{Store: store.Restrict(nil, 0), Creds: book}
	h := operation.Mux(operation.Identity, []operation.Row{versions.Root, versions.KeyManager, versions.Identity}, deps, operation.Wrappers{})
	for _, path := range []string{"/", "/v1", "/v3/"} {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = "127.0.0.1:8080"
		r.Header.Set("X-Forwarded-Host", "proxy.internal")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var body struct {
			Version  *struct{ Links []struct{ Href string } }
			Versions struct {
				Values []struct{ Links []struct{ Href string } }
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: got %d %s", path, rec.Code, rec.Body)
		}
		links := body.Versions.Values
		if body.Version != nil {
			links = append(links, struct{ Links []struct{ Href string } }{body.Version.Links})
		}
		if len(links) == 0 {
			t.Fatalf("%s: got no version in %s", path, rec.Body)
		}
		for _, v := range links {
			for _, l := range v.Links {
				if !strings.HasPrefix(l.Href, "https://kms.example.com/openstack/v") {
					t.Errorf("%s: got link %q, want it under the public URL", path, l.Href)
				}
			}
		}
	}
}
