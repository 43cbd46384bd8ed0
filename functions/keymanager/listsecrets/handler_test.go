package listsecrets_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	kmt "keyport/functions/keymanager/keymanagertest"
)

// seed creates five secrets of Project a minute apart (and one of OtherProject) and returns
// their names in creation order.
func seed(t *testing.T, e *kmt.Env) {
	t.Helper()
	bodies := []string{
		`{"name":"k1","algorithm":"aes","bit_length":256,"mode":"cbc","secret_type":"symmetric"}`,
		`{"name":"k2","algorithm":"aes","bit_length":128,"mode":"gcm","secret_type":"symmetric","expiration":"2099-01-01T00:00:00"}`,
		`{"name":"k3","algorithm":"rsa","bit_length":2048,"secret_type":"private"}`,
		`{"name":"other","secret_type":"opaque","expiration":"2098-01-01T00:00:00"}`,
		`{"name":"k_5","payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`,
	}
	for i, b := range bodies {
		at := kmt.Fixed.Add(time.Duration(i) * time.Minute)
		e.Now = func() time.Time { return at }
		e.Create(t, kmt.Project, b)
	}
	e.Create(t, kmt.OtherProject, `{"name":"k1"}`)
	e.Now = time.Now
}

type listBody struct {
	Secrets []struct {
		Name string `json:"name"`
	} `json:"secrets"`
	Total    int    `json:"total"`
	Next     string `json:"next"`
	Previous string `json:"previous"`
}

// TestListFilters checks each filter and sort on the names it lists, and that the total counts
// only the caller's matches.
func TestListFilters(t *testing.T) {
	e := kmt.New(t)
	seed(t, e)
	tests := []struct {
		query string
		names string // comma-joined, in order
	}{
		{"", "k1,k2,k3,other,k_5"},
		{"name=k1", "k1"},
		{"name=k%25", "k1,k2,k3,k_5"},
		{"name=k_", "k1,k2,k3"},
		{"name=K1", ""},
		{"alg=aes", "k1,k2"},
		{"mode=gc%25", "k2"},
		{"bits=2048", "k3"},
		{"bits=x", "k1,k2,k3,other,k_5"},
		{"secret_type=symmetric", "k1,k2"},
		{"created=gt:2026-03-04T05:08:00Z", "k3,other,k_5"},
		{"created=gte:2026-03-04T05:07:07.123456,lt:2026-03-04T05:09:00Z", "k2,k3"},
		{"expiration=lt:2099-01-01T00:00:00Z", "other"},
		{"expiration=2099-01-01T00:00:00", "k2"},
		{"sort=name:desc", "other,k_5,k3,k2,k1"},
		{"sort=bit_length:desc,name", "k3,k1,k2,k_5,other"},
		{"sort=expiration", "k1,k3,k_5,other,k2"},
		{"acl_only=true", ""},
	}
	for _, l := range kmt.Layouts {
		for _, tt := range tests {
			t.Run(l.Name+"/"+tt.query, func(t *testing.T) {
				resp := e.Do(t, http.MethodGet, kmt.Path(l.Upstream, kmt.Project, "", "")+"?"+tt.query, "", "X-Auth-Token", kmt.Token)
				if resp.Status != 200 {
					t.Fatalf("got %d %s", resp.Status, resp.Body)
				}
				var b listBody
				if err := json.Unmarshal(resp.Body, &b); err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, s := range b.Secrets {
					names = append(names, s.Name)
				}
				if got := strings.Join(names, ","); got != tt.names || b.Total != len(names) {
					t.Errorf("got %q (total %d), want %q", got, b.Total, tt.names)
				}
			})
		}
	}
}

// TestListPages pins a middle page in both layouts: next and previous are absolute on the
// client's host, K5's carry the tenant, both carry the other parameters.
func TestListPages(t *testing.T) {
	e := kmt.New(t)
	seed(t, e)
	for _, l := range kmt.Layouts {
		t.Run(l.Name, func(t *testing.T) {
			resp := e.Do(t, http.MethodGet, kmt.Path(l.Upstream, kmt.Project, "", "")+"?limit=2&offset=1&sort=name&alg=aes%25",
				"", "X-Auth-Token", kmt.Token, "X-Forwarded-Proto", "https")
			if resp.Status != 200 {
				t.Fatalf("got %d %s", resp.Status, resp.Body)
			}
			e.Golden(t, "page_"+l.Name, resp.Body)
			var b listBody
			_ = json.Unmarshal(resp.Body, &b)
			follow := strings.Replace(b.Previous, "https://", "http://", 1)
			prev := e.Do(t, http.MethodGet, strings.TrimPrefix(follow, e.URL), "", "X-Auth-Token", kmt.Token)
			if !strings.Contains(string(prev.Body), `"name":"k1"`) {
				t.Errorf("previous page: got %s, want k1 first", prev.Body)
			}
		})
	}
}

// TestListRefusals: bad query parameters are 400 in Barbican's envelope; a token reaches only
// its own project's list; an empty list is 200 with no links.
func TestListRefusals(t *testing.T) {
	e := kmt.New(t)
	seed(t, e)
	tests := []struct {
		name, path, golden string
		headers            []string
		status             int
	}{
		{"bad sort", kmt.Path(true, "", "", "") + "?sort=colour", "bad_query", nil, 400},
		{"bad date", kmt.Path(false, kmt.Project, "", "") + "?created=gt:tomorrow", "bad_query", nil, 400},
		{"another tenant's path", kmt.Path(false, kmt.OtherProject, "", ""), "forbidden", nil, 403},
		{"X-Project-Id of another project", kmt.Path(true, "", "", ""), "forbidden", []string{"X-Project-Id", kmt.OtherProject}, 403},
		{"no match", kmt.Path(true, "", "", "") + "?name=none", "empty", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.Do(t, http.MethodGet, tt.path, "", append([]string{"X-Auth-Token", kmt.Token}, tt.headers...)...)
			if resp.Status != tt.status {
				t.Fatalf("got %d %s, want %d", resp.Status, resp.Body, tt.status)
			}
			e.Golden(t, tt.golden, resp.Body)
		})
	}
	other := e.Do(t, http.MethodGet, kmt.Path(true, "", "", ""), "", "X-Auth-Token", kmt.OtherToken)
	var b listBody
	_ = json.Unmarshal(other.Body, &b)
	if b.Total != 1 || len(b.Secrets) != 1 || !slices.ContainsFunc(b.Secrets, func(s struct {
		Name string `json:"name"`
	}) bool {
		return s.Name == "k1"
	}) {
		t.Errorf("the other project's list: got %s, want its one secret", other.Body)
	}
}

// TestListHugeOffsets: an offset up to the largest int64 answers an empty page with the total
// and a previous link, never a panic (offset+limit overflowed), in both layouts.
func TestListHugeOffsets(t *testing.T) {
	e := kmt.New(t)
	seed(t, e)
	const maxInt64 = "9223372036854775807"
	for _, l := range kmt.Layouts {
		for _, query := range []string{"offset=" + maxInt64, "limit=100&offset=9223372036854775708", "limit=100&offset=9223372036854775750",
			"limit=100&offset=" + maxInt64, "limit=1&offset=9223372036854775806&sort=name:desc"} {
			t.Run(l.Name+"/"+query, func(t *testing.T) {
				resp := e.Do(t, http.MethodGet, kmt.Path(l.Upstream, kmt.Project, "", "")+"?"+query, "", "X-Auth-Token", kmt.Token)
				if resp.Status != 200 {
					t.Fatalf("got %d %s", resp.Status, resp.Body)
				}
				var b listBody
				if err := json.Unmarshal(resp.Body, &b); err != nil {
					t.Fatal(err)
				}
				if len(b.Secrets) != 0 || b.Total != 5 || b.Next != "" || !strings.Contains(b.Previous, "&offset=92233720368547") {
					t.Errorf("got %s, want no secrets of 5, no next, a previous page", resp.Body)
				}
			})
		}
	}
}
