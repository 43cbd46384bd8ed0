package keymanagertest

import (
	"net/http"
	"strings"
	"testing"
)

// Case is one request of an operation's table test, run in both layouts against a fresh
// server whose Project secret (Fixtures' Meta) carries the user metadata {"owner": "a"}.
type Case struct {
	Name   string
	Method string
	Suffix string // after the secret's path, e.g. "/metadata/owner"
	Body   string
	Header []string // besides the token and Content-Type: application/json
	Other  bool     // address OtherProject's secret (with the caller's own token)
	Status int
	Want   string // in the body
}

// RunCases runs cases in both layouts and checks that a refusal left the secret unchanged.
func RunCases(t *testing.T, cases []Case) {
	for _, l := range Layouts {
		for _, tc := range cases {
			t.Run(l.Name+"/"+tc.Name, func(t *testing.T) {
				e := New(t)
				f := e.Fixtures(t)
				if r := e.Do(t, http.MethodPut, Path(false, Project, f.Meta, "/metadata"), `{"metadata":{"owner":"a"}}`,
					"X-Auth-Token", Token, "Content-Type", "application/json"); r.Status != http.StatusCreated {
					t.Fatalf("seeding metadata: got %d %s", r.Status, r.Body)
				}
				id, project := f.Meta, Project
				if tc.Other {
					id = f.Other
					e.Do(t, http.MethodPut, Path(false, OtherProject, id, "/metadata"), `{"metadata":{"owner":"a"}}`,
						"X-Auth-Token", OtherToken, "Content-Type", "application/json")
				}
				before := e.Record(t, map[bool]string{true: OtherProject, false: Project}[tc.Other], id).Version
				headers := append([]string{"X-Auth-Token", Token, "Content-Type", "application/json"}, tc.Header...)
				resp := e.Do(t, tc.Method, Path(l.Upstream, project, id, tc.Suffix), tc.Body, headers...)
				if resp.Status != tc.Status || !strings.Contains(string(resp.Body), tc.Want) {
					t.Fatalf("got %d %s, want %d with %q", resp.Status, resp.Body, tc.Status, tc.Want)
				}
				after := e.Record(t, map[bool]string{true: OtherProject, false: Project}[tc.Other], id).Version
				if resp.Status >= 400 && after != before {
					t.Errorf("version %d -> %d: a refusal wrote", before, after)
				}
			})
		}
	}
}
