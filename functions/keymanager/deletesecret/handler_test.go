package deletesecret_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	kmt "keyport/functions/keymanager/keymanagertest"
)

// TestDeleteSecret: 204 with or without Accept: application/json, 404 afterwards and for
// anything that is not the caller's live secret, which stays untouched.
func TestDeleteSecret(t *testing.T) {
	for _, l := range kmt.Layouts {
		tests := []struct {
			name    string
			id      string // a fixture name, or a literal id
			headers []string
			status  int
			desc    string
		}{
			{name: "with Accept: application/json", id: "meta", headers: []string{"Accept", "application/json"}, status: 204},
			{name: "without Accept", id: "text", status: 204},
			{name: "another project's secret", id: "other", status: 404, desc: "Secret not found."},
			{name: "expired", id: "expired", status: 404, desc: "Secret not found."},
			{name: "unknown", id: "11111111-1111-4111-8111-111111111111", status: 404, desc: "Secret not found."},
			{name: "not a uuid", id: "nope", status: 404, desc: "Not Found. Provided secret id is invalid."},
			{name: "no token", id: "meta", headers: []string{"X-Auth-Token", ""}, status: 401},
		}
		for _, tt := range tests {
			t.Run(l.Name+"/"+tt.name, func(t *testing.T) {
				e := kmt.New(t)
				f := e.Fixtures(t)
				id, ok := map[string]string{"meta": f.Meta, "text": f.Text, "other": f.Other, "expired": f.Expired}[tt.id]
				if !ok {
					id = tt.id
				}
				before := e.Count(t)
				headers := append([]string{"X-Auth-Token", kmt.Token}, tt.headers...)
				resp := e.Do(t, http.MethodDelete, kmt.Path(l.Upstream, kmt.Project, id, ""), "", headers...)
				if resp.Status != tt.status {
					t.Fatalf("got %d %s, want %d", resp.Status, resp.Body, tt.status)
				}
				if tt.status != 204 {
					if tt.desc != "" && !strings.Contains(string(resp.Body), `"description":"`+tt.desc+`"`) {
						t.Errorf("body: got %s, want description %q", resp.Body, tt.desc)
					}
					if after := e.Count(t); after != before {
						t.Errorf("records: got %d, want %d (a refusal deletes nothing)", after, before)
					}
					return
				}
				if len(resp.Body) != 0 {
					t.Errorf("204 body: got %q, want none", resp.Body)
				}
				again := e.Do(t, http.MethodGet, kmt.Path(l.Upstream, kmt.Project, id, ""), "", "X-Auth-Token", kmt.Token)
				if again.Status != 404 || !strings.Contains(string(again.Body), "Secret not found.") {
					t.Errorf("GET after delete: got %d %s, want 404 Secret not found.", again.Status, again.Body)
				}
				if after := e.Count(t); after != before-1 {
					t.Errorf("records: got %d, want %d", after, before-1)
				}
			})
		}
	}
}

// TestDeleteSecretForbidden: a token of another tenant on the K5 path is 403 and the secret
// stays; gophercloud sees the 403 as an error.
func TestDeleteSecretForbidden(t *testing.T) {
	e := kmt.New(t)
	f := e.Fixtures(t)
	err := secrets.Delete(context.Background(), e.Client(false, kmt.Token, kmt.OtherProject), f.Other).ExtractErr()
	if !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Fatalf("got %v, want 403", err)
	}
	e.Record(t, kmt.OtherProject, f.Other)
}
