package keymanagertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	"keyport/shared/localdata/localdatatest"
	"keyport/shared/store/dynamostore/dynamotest"
)

// TestGophercloudMetadata drives the six metadata calls with gophercloud in both layouts.
func TestGophercloudMetadata(t *testing.T) {
	for _, l := range Layouts {
		t.Run(l.Name, func(t *testing.T) {
			e := New(t)
			ctx := context.Background()
			c := e.Client(l.Upstream, Token, Project)
			id := e.Create(t, Project, `{"name":"m"}`)
			if m, err := secrets.GetMetadata(ctx, c, id).Extract(); err != nil || len(m) != 0 {
				t.Fatalf("GetMetadata of a new secret: got %v, %v; want empty", m, err)
			}
			ref, err := secrets.CreateMetadata(ctx, c, id, secrets.MetadataOpts{"Owner": "a", "stage": "b"}).Extract()
			if err != nil || ref["metadata_ref"] != e.Base(l.Upstream, Project)+"/secrets/"+id+"/metadata" {
				t.Fatalf("CreateMetadata: got %v, %v", ref, err)
			}
			if err := secrets.CreateMetadatum(ctx, c, id, secrets.MetadatumOpts{Key: "team", Value: "platform"}).ExtractErr(); err != nil {
				t.Fatalf("CreateMetadatum: %v", err)
			}
			err = secrets.CreateMetadatum(ctx, c, id, secrets.MetadatumOpts{Key: "team", Value: "x"}).ExtractErr()
			if !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
				t.Errorf("CreateMetadatum of an existing key: got %v, want 409", err)
			}
			if m, err := secrets.GetMetadatum(ctx, c, id, "owner").Extract(); err != nil || m.Key != "owner" || m.Value != "a" {
				t.Errorf("GetMetadatum(owner): got %+v, %v; want the lower-cased key", m, err)
			}
			if m, err := secrets.UpdateMetadatum(ctx, c, id, secrets.MetadatumOpts{Key: "owner", Value: "ops"}).Extract(); err != nil || m.Value != "ops" {
				t.Errorf("UpdateMetadatum: got %+v, %v", m, err)
			}
			if err := secrets.DeleteMetadatum(ctx, c, id, "stage").ExtractErr(); err != nil {
				t.Errorf("DeleteMetadatum: %v", err)
			}
			m, err := secrets.GetMetadata(ctx, c, id).Extract()
			if err != nil || fmt.Sprint(m) != "map[owner:ops team:platform]" {
				t.Errorf("GetMetadata: got %v, %v; want owner and team", m, err)
			}
			_, err = secrets.GetMetadatum(ctx, c, id, "stage").Extract()
			if !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
				t.Errorf("GetMetadatum of a deleted key: got %v, want 404", err)
			}
			// Another project's secret is missing, for every call.
			other := e.Create(t, OtherProject, `{}`)
			if _, err := secrets.GetMetadata(ctx, c, other).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
				t.Errorf("GetMetadata of another project's secret: got %v, want 404", err)
			}
			err = secrets.CreateMetadatum(ctx, c, other, secrets.MetadatumOpts{Key: "k", Value: "v"}).ExtractErr()
			if !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
				t.Errorf("CreateMetadatum on another project's secret: got %v, want 404", err)
			}
			if got := e.Record(t, OtherProject, other); got.Version != 1 {
				t.Errorf("another project's secret changed: version %d", got.Version)
			}
		})
	}
}

// TestMetadataRules covers the refusals of the metadata calls; none changes the secret.
func TestMetadataRules(t *testing.T) {
	e := New(t)
	id := e.Create(t, Project, `{}`)
	e.Do(t, http.MethodPost, Path(false, Project, id, "/metadata"), `{"key":"k","value":"v"}`, "X-Auth-Token", Token, "Content-Type", "application/json")
	version := e.Record(t, Project, id).Version
	long := strings.Repeat("a", 256)
	tests := []struct {
		name, method, suffix, body string
		ctype                      string
		status                     int
		desc                       string
	}{
		{"key not URL safe", "POST", "/metadata", `{"key":"a b","value":"v"}`, "", 400, "Invalid Key. Key must be URL safe."},
		{"key of 256", "POST", "/metadata", `{"key":"` + long + `","value":"v"}`, "", 400, "maxLength 255"},
		{"value of 256", "POST", "/metadata", `{"key":"x","value":"` + long + `"}`, "", 400, "maxLength 255"},
		{"value not a string", "POST", "/metadata", `{"key":"x","value":1}`, "", 400, "not of type 'string'"},
		{"missing value", "POST", "/metadata", `{"key":"x"}`, "", 400, "'value' is a required property"},
		{"extra member", "POST", "/metadata", `{"key":"x","value":"v","z":1}`, "", 400, "Additional properties"},
		{"existing key, other case", "POST", "/metadata", `{"key":"K","value":"v"}`, "", 409, "already in the secret metadata"},
		{"not JSON", "POST", "/metadata", `{`, "", 400, "Malformed JSON"},
		{"not Unicode", "POST", "/metadata", "{\"key\":\"x\",\"value\":\"\xff\"}", "", 400, "Malformed JSON"},
		{"text/plain", "POST", "/metadata", `{"key":"x","value":"v"}`, "text/plain", 415, "application/json"},
		{"replace without metadata", "PUT", "/metadata", `{"meta":{}}`, "", 400, "'metadata' is a required property"},
		{"replace with a number", "PUT", "/metadata", `{"metadata":{"a":1}}`, "", 400, "not of type 'string'"},
		{"replace with a bad key", "PUT", "/metadata", `{"metadata":{"a/b":"x"}}`, "", 400, "URL safe"},
		{"update another key", "PUT", "/metadata/k", `{"key":"j","value":"v"}`, "", 409, "does not match"},
		{"update an absent key", "PUT", "/metadata/j", `{"key":"j","value":"v"}`, "", 404, "Secret metadata not found."},
		{"delete an absent key", "DELETE", "/metadata/j", ``, "", 404, "Secret metadata not found."},
		{"body over 10000", "PUT", "/metadata", `{"metadata":{"a":"` + strings.Repeat("b", 10000) + `"}}`, "", 413, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctype := tt.ctype
			if ctype == "" {
				ctype = "application/json"
			}
			resp := e.Do(t, tt.method, Path(false, Project, id, tt.suffix), tt.body, "X-Auth-Token", Token, "Content-Type", ctype)
			if resp.Status != tt.status || !strings.Contains(string(resp.Body), tt.desc) {
				t.Fatalf("got %d %s, want %d with %q", resp.Status, resp.Body, tt.status, tt.desc)
			}
			if got := e.Record(t, Project, id).Version; got != version {
				t.Errorf("version: got %d, want %d (a refusal writes nothing)", got, version)
			}
		})
	}
}

// TestMetadataConcurrently adds distinct keys to one secret at once on both drivers: every add
// lands, none is lost to another's write.
func TestMetadataConcurrently(t *testing.T) {
	data := localdatatest.Open(t)
	for name, st := range map[string]Store{"bolt": data.Store, "dynamodb": dynamotest.Open(t)} {
		t.Run(name, func(t *testing.T) {
			e := NewWith(t, st, data.Sealer)
			id := e.Create(t, Project, `{}`)
			const n = 4
			var wg sync.WaitGroup
			statuses := make([]int, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses[i] = e.Do(t, http.MethodPost, Path(i%2 == 0, Project, id, "/metadata"), fmt.Sprintf(`{"key":"k%d","value":"v"}`, i),
						"X-Auth-Token", Token, "Content-Type", "application/json").Status
				}()
			}
			wg.Wait()
			resp := e.Do(t, http.MethodGet, Path(false, Project, id, "/metadata"), "", "X-Auth-Token", Token)
			if want := `{"metadata":{"k0":"v","k1":"v","k2":"v","k3":"v"}}`; string(resp.Body) != want {
				t.Errorf("got %v then %s, want every key: %s", statuses, resp.Body, want)
			}
		})
	}
}
