package keymanagertest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// pyHeaders are the headers python-barbicanclient 5.4.0 (keystoneauth1 5.0.0) sends with a
// token and a project, as captured from it against keyport.
func pyHeaders(extra ...string) []string {
	return append([]string{"User-Agent", "- keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2",
		"Accept-Encoding", "gzip, deflate", "X-Project-Id", Project, "X-Auth-Token", Token}, extra...)
}

// TestPythonBarbicanclient replays what python-barbicanclient and `openstack secret
// store/list/get/delete` send (the bodies and headers they were seen to send), in order.
func TestPythonBarbicanclient(t *testing.T) {
	e := New(t)
	// barbicanclient's secrets.create(name, payload, expiration).store(): the trailing slash,
	// a zoned expiration, Accept */*.
	resp := e.Do(t, http.MethodPost, "/v1/secrets/",
		`{"name": "py2", "secret_type": "opaque", "expiration": "2099-01-01T00:00:00+00:00", "payload": "hello", "payload_content_type": "text/plain"}`,
		pyHeaders("Accept", "*/*", "Content-Type", "application/json")...)
	if resp.Status != http.StatusCreated {
		t.Fatalf("store: got %d %s, want 201", resp.Status, resp.Body)
	}
	var created struct {
		SecretRef string `json:"secret_ref"`
	}
	if err := json.Unmarshal(resp.Body, &created); err != nil || !strings.HasPrefix(created.SecretRef, e.URL+"/v1/secrets/") ||
		resp.Header.Get("Location") != created.SecretRef {
		t.Fatalf("store: got %s (Location %q), want a secret_ref under %s/v1/secrets/", resp.Body, resp.Header.Get("Location"), e.URL)
	}
	path := strings.TrimPrefix(created.SecretRef, e.URL)
	// `openstack secret store --name cli2 --payload …`: the CLI's defaults, base64 octets.
	cli := e.Do(t, http.MethodPost, "/v1/secrets/",
		`{"name": "cli2", "algorithm": "aes", "mode": "cbc", "bit_length": 256, "secret_type": "opaque", "payload": "Y2xpIHBheWxvYWQ=", "payload_content_type": "application/octet-stream", "payload_content_encoding": "base64"}`,
		pyHeaders("Accept", "*/*", "Content-Type", "application/json")...)
	if cli.Status != http.StatusCreated {
		t.Fatalf("cli store: got %d %s", cli.Status, cli.Body)
	}
	// secrets.get(ref): metadata with Accept: application/json, then the payload with text/plain.
	meta := e.Do(t, http.MethodGet, path, "", pyHeaders("Accept", "application/json")...)
	if meta.Status != 200 || !strings.Contains(string(meta.Body), `"name":"py2"`) || !strings.Contains(string(meta.Body), `"expiration":"2099-01-01T00:00:00"`) {
		t.Errorf("get: got %d %s", meta.Status, meta.Body)
	}
	payload := e.Do(t, http.MethodGet, path+"/payload", "", pyHeaders("Accept", "text/plain")...)
	if payload.Status != 200 || string(payload.Body) != "hello" {
		t.Errorf("payload: got %d %q, want hello", payload.Status, payload.Body)
	}
	// secrets.list(limit=5) and `openstack secret list` (limit 10).
	for _, q := range []string{"?limit=5&offset=0", "?limit=10&offset=0"} {
		list := e.Do(t, http.MethodGet, "/v1/secrets"+q, "", pyHeaders("Accept", "application/json")...)
		if list.Status != 200 || !strings.Contains(string(list.Body), `"total":2`) {
			t.Errorf("list%s: got %d %s", q, list.Status, list.Body)
		}
	}
	// The project of the token is the K5 tenant: the same secret under K5's path.
	if k5 := e.Do(t, http.MethodGet, "/v1/"+Project+path[len("/v1"):], "", "X-Auth-Token", Token); k5.Status != 200 {
		t.Errorf("the same secret in K5's layout: got %d %s", k5.Status, k5.Body)
	}
	// Delete: Accept */*, an empty body; then the client's "Secret not found." 404.
	if del := e.Do(t, http.MethodDelete, path, "", pyHeaders("Accept", "*/*")...); del.Status != http.StatusNoContent {
		t.Errorf("delete: got %d %s, want 204", del.Status, del.Body)
	}
	gone := e.Do(t, http.MethodGet, path, "", pyHeaders("Accept", "application/json")...)
	if gone.Status != 404 || !strings.Contains(string(gone.Body), `"title":"Not Found","description":"Secret not found."`) {
		t.Errorf("get after delete: got %d %s", gone.Status, gone.Body)
	}
}

// TestUpstreamCreateRules: upstream's validators in the upstream layout (no PEM rule, pkcs8, a
// 20000-byte secret in a 25000-byte request, a null name) and K5's in K5's; a refusal writes
// nothing.
func TestUpstreamCreateRules(t *testing.T) {
	tests := []struct {
		name     string
		upstream bool
		headers  []string
		body     string
		status   int
		want     string // in the body
	}{
		{"upstream: text without PEM", true, nil, `{"payload":"plain words","payload_content_type":"text/plain"}`, 201, "secret_ref"},
		{"K5: text without PEM", false, nil, `{"payload":"plain words","payload_content_type":"text/plain"}`, 400, "-----BEGIN"},
		{"upstream: pkcs8", true, nil, `{"payload":"aGk=","payload_content_type":"application/pkcs8","payload_content_encoding":"base64"}`, 201, "secret_ref"},
		{"K5: pkcs8", false, nil, `{"payload":"aGk=","payload_content_type":"application/pkcs8","payload_content_encoding":"base64"}`, 400, "payload_content_type is not one of"},
		{"upstream: 20000-byte payload", true, nil, `{"payload":"` + strings.Repeat("QUJD", 5000) + `","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`, 201, "secret_ref"},
		{"upstream: 20004-byte payload", true, nil, `{"payload":"` + strings.Repeat("QUJD", 5001) + `","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`, 413, "too large"},
		{"upstream: 25001-byte request", true, nil, `{"x":"` + strings.Repeat("a", 24993) + `"}`, 413, "too large"},
		{"K5: 10001-byte request", false, nil, `{"x":"` + strings.Repeat("a", 9993) + `"}`, 413, "too large"},
		{"upstream: X-Project-Id of another project", true, []string{"X-Project-Id", OtherProject}, `{}`, 403, "Secret creation attempt not allowed"},
		{"upstream: X-Project-Id of its own project", true, []string{"X-Project-Id", Project}, `{}`, 201, "secret_ref"},
		{"upstream: unnamed", true, nil, `{}`, 201, "secret_ref"},
		{"upstream: name with control character", true, nil, `{"name":"a\u0001"}`, 201, "secret_ref"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(t)
			headers := append([]string{"X-Auth-Token", Token, "Content-Type", "application/json"}, tt.headers...)
			resp := e.Do(t, http.MethodPost, Path(tt.upstream, Project, "", ""), tt.body, headers...)
			if resp.Status != tt.status || !strings.Contains(string(resp.Body), tt.want) {
				t.Fatalf("got %d %s, want %d with %q", resp.Status, resp.Body, tt.status, tt.want)
			}
			if n, want := e.Count(t), map[bool]int{true: 1, false: 0}[tt.status == 201]; n != want {
				t.Errorf("records: got %d, want %d", n, want)
			}
		})
	}
}

// TestUpstreamUnnamedIsNull: upstream leaves an unnamed secret's name null, where K5 names it
// by its id.
func TestUpstreamUnnamedIsNull(t *testing.T) {
	e := New(t)
	for _, l := range Layouts {
		resp := e.Do(t, http.MethodPost, Path(l.Upstream, Project, "", ""), `{}`, "X-Auth-Token", Token, "Content-Type", "application/json")
		id := resp.Header.Get("Location")[len(resp.Header.Get("Location"))-36:]
		meta := e.Do(t, http.MethodGet, Path(l.Upstream, Project, id, ""), "", "X-Auth-Token", Token)
		want := `"name":"` + id + `"`
		if l.Upstream {
			want = `"name":null`
		}
		if !strings.Contains(string(meta.Body), want) {
			t.Errorf("%s: got %s, want %s", l.Name, meta.Body, want)
		}
	}
}
