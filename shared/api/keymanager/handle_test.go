package keymanager

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// secrets is a Getter holding one live secret of the development project.
type secrets struct{ calls int }

const liveID = "6f9619ff-8b86-4d11-b42d-00cf4fc964ff"

func (s *secrets) Get(_ context.Context, ref store.Ref) (store.Record, error) {
	s.calls++
	if ref != kmsecret.Ref(credentials.DevK5Tenant, liveID) {
		return store.Record{}, store.ErrNotFound
	}
	return store.Record{Ref: ref, Version: 1}, nil
}

// TestHandleOrder: the skeleton refuses in Barbican's order (401, 403, 404, 415, 413) and hands
// the operation the project, its hrefs, the secret and the body.
func TestHandleOrder(t *testing.T) {
	const tenant = credentials.DevK5Tenant
	tests := []struct {
		name            string
		layout          Layout
		path, token     string
		ctype, body     string
		status          int
		lookups, called int
	}{
		{"no token, before all else", K5, "/v1/" + tenant + "/secrets/nope", "", "text/html", "x", 401, 0, 0},
		{"another tenant", K5, "/v1/other/secrets/nope", credentials.DevK5Token, "text/html", "x", 403, 0, 0},
		{"unknown secret, before the body", Upstream, "/v1/secrets/11111111-1111-4111-8111-111111111111", credentials.DevK5Token, "text/html", "x", 404, 1, 0},
		{"not a secret id, without a store call", Upstream, "/v1/secrets/nope", credentials.DevK5Token, "text/html", "x", 404, 0, 0},
		{"Content-Type", K5, "/v1/" + tenant + "/secrets/" + liveID, credentials.DevK5Token, "text/plain", "{}", 415, 1, 0},
		{"K5's request limit", K5, "/v1/" + tenant + "/secrets/" + liveID, credentials.DevK5Token, "application/json", strings.Repeat("a", 10001), 413, 1, 0},
		{"upstream's request limit", Upstream, "/v1/secrets/" + liveID, credentials.DevK5Token, "application/json", strings.Repeat("a", 25001), 413, 1, 0},
		{"upstream takes 25000 bytes", Upstream, "/v1/secrets/" + liveID, credentials.DevK5Token, "Application/JSON; charset=utf-8", strings.Repeat("a", 25000), 200, 1, 1},
		{"K5", K5, "/v1/" + tenant + "/secrets/" + liveID, credentials.DevK5Token, "application/json", "{}", 200, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &secrets{}
			called := 0
			op := Op{Names: SecretMetadatum, Secret: true, Body: JSONBody, Do: func(q *Request) (Answer, error) {
				called++
				base := map[bool]string{false: "http://example.com/v1/" + tenant, true: "http://example.com/v1"}[tt.layout.Upstream]
				if q.Project != tenant || q.Base != base || q.Ref != base+"/secrets/"+liveID || q.Secret.ID != liveID ||
					q.Media != "application/json" || string(q.Data) != tt.body || q.Layout != tt.layout {
					t.Errorf("got Project %q Base %q Ref %q Secret %q Media %q, want the scoped request", q.Project, q.Base, q.Ref, q.Secret.ID, q.Media)
				}
				return Answer{JSON: map[string]string{}}, nil
			}}
			mux := http.NewServeMux()
			mux.Handle(tt.layout.Pattern("POST", "/secrets/{secret_id}"), Handle(tt.layout, credentials.Dev(), st, op))
			r := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.ctype)
			if tt.token != "" {
				r.Header.Set("X-Auth-Token", tt.token)
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, r)
			if rec.Code != tt.status || st.calls != tt.lookups || called != tt.called {
				t.Errorf("got %d %s after %d lookups, %d calls; want %d after %d, %d", rec.Code, rec.Body, st.calls, called, tt.status, tt.lookups, tt.called)
			}
		})
	}
}

// TestAnswerWrite: each kind of answer carries what Barbican's does, and a payload is wiped once
// sent.
func TestAnswerWrite(t *testing.T) {
	plain := []byte("secret")
	tests := []struct {
		name    string
		answer  Answer
		status  int
		header  map[string]string
		body    string
		cleared []byte
	}{
		{"json", Answer{JSON: map[string]string{"href": "http://h/v1/secrets?limit=1&offset=2"}}, 200,
			map[string]string{"Content-Type": "application/json", "X-Content-Type-Options": "nosniff"}, `{"href":"http://h/v1/secrets?limit=1&offset=2"}`, nil},
		{"created", Answer{Status: 201, JSON: map[string]string{"secret_ref": "r"}, ContentType: "application/json; charset=UTF-8", Location: "r"}, 201,
			map[string]string{"Content-Type": "application/json; charset=UTF-8", "Location": "r"}, `{"secret_ref":"r"}`, nil},
		{"no content", Answer{Status: 204}, 204, map[string]string{"Content-Type": ""}, "", nil},
		{"payload", Answer{PayloadType: "text/plain; charset=utf-8", Payload: plain}, 200,
			map[string]string{"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}, "secret", plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.answer.write(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if rec.Code != tt.status || rec.Body.String() != tt.body {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body, tt.status, tt.body)
			}
			for k, v := range tt.header {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s: got %q, want %q", k, got, v)
				}
			}
			if tt.cleared != nil && strings.Trim(string(tt.cleared), "\x00") != "" {
				t.Errorf("payload after sending: got %q, want it zeroed", tt.cleared)
			}
		})
	}
}
