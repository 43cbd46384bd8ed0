package getsecret_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

// getCase is one request and what it must get.
type getCase struct {
	name        string
	id          string
	headers     []string // besides the token
	token       string   // "" means the project's own; "-" none
	project     string   // the K5 path's tenant; "" means the project's own
	status      int
	contentType string
	body        string // the exact body, unless golden names a golden file
	golden      string
}

// TestGetSecret covers metadata and the deprecated payload form, every refusal, and what
// another project's secret looks like: exactly a missing one.
func TestGetSecret(t *testing.T) {
	e := kmt.New(t)
	f := e.Fixtures(t)
	for _, l := range kmt.Layouts {
		t.Run(l.Name, func(t *testing.T) {
			tests := []getCase{
				{name: "metadata", id: f.Meta, headers: []string{"Accept", "application/json"}, status: 200, golden: "metadata_" + l.Name},
				{name: "metadata with payload", id: f.Text, status: 200, golden: "metadata_text_" + l.Name},
				{name: "no Accept is metadata", id: f.Meta, status: 200, golden: "metadata_" + l.Name},
				{name: "*/* is metadata", id: f.Meta, headers: []string{"Accept", "*/*"}, status: 200, golden: "metadata_" + l.Name},
				{name: "json with charset is metadata", id: f.Meta, headers: []string{"Accept", "application/json; charset=utf-8"}, status: 200, golden: "metadata_" + l.Name},
				{name: "text/plain is the payload", id: f.Text, headers: []string{"Accept", "text/plain"}, status: 200, contentType: "text/plain", body: kmt.PEM},
				{name: "octet-stream is the payload", id: f.Octet, headers: []string{"Accept", "application/octet-stream"}, status: 200, contentType: "application/octet-stream", body: "\xff\x00"},
				{name: "text/plain of binary", id: f.Octet, headers: []string{"Accept", "text/plain"}, status: 406, golden: "not_acceptable"},
				{name: "unknown Accept", id: f.Text, headers: []string{"Accept", "text/html"}, status: 406, golden: "not_acceptable"},
				{name: "payload of metadata-only", id: f.Meta, headers: []string{"Accept", "text/plain"}, status: 404, golden: "no_payload"},
				{name: "unknown id", id: "11111111-1111-4111-8111-111111111111", status: 404, golden: "not_found"},
				{name: "another project's secret", id: f.Other, status: 404, golden: "not_found"},
				{name: "expired", id: f.Expired, status: 404, golden: "not_found"},
				{name: "not a uuid", id: "nope", status: 404, golden: "invalid_id"},
				{name: "upper-case uuid", id: strings.ToUpper(f.Meta), status: 404, golden: "invalid_id"},
				{name: "no token", id: f.Meta, token: "-", status: 401, golden: "unauthorized"},
				{name: "unknown token", id: f.Meta, token: "nope", status: 401, golden: "unauthorized"},
			}
			if l.Upstream {
				tests = append(tests,
					getCase{name: "X-Project-Id of another project", id: f.Meta, headers: []string{"X-Project-Id", kmt.OtherProject}, status: 403, golden: "forbidden"})
			} else {
				tests = append(tests,
					getCase{name: "another tenant's path", id: f.Other, project: kmt.OtherProject, status: 403, golden: "forbidden"})
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					token, project := tt.token, tt.project
					if token == "" {
						token = kmt.Token
					}
					if project == "" {
						project = kmt.Project
					}
					headers := tt.headers
					if token != "-" {
						headers = append([]string{"X-Auth-Token", token}, headers...)
					}
					resp := e.Do(t, http.MethodGet, kmt.Path(l.Upstream, project, tt.id, ""), "", headers...)
					if resp.Status != tt.status {
						t.Fatalf("got %d %s, want %d", resp.Status, resp.Body, tt.status)
					}
					if tt.contentType != "" && resp.Header.Get("Content-Type") != tt.contentType {
						t.Errorf("Content-Type: got %q, want %q", resp.Header.Get("Content-Type"), tt.contentType)
					}
					if tt.golden != "" {
						e.Golden(t, tt.golden, resp.Body)
					} else if !bytes.Equal(resp.Body, []byte(tt.body)) {
						t.Errorf("body: got %q, want %q", resp.Body, tt.body)
					}
				})
			}
		})
	}
}
