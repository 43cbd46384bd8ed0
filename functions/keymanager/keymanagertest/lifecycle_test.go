package keymanagertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"
	"github.com/gophercloud/gophercloud/v2/pagination"
)

// TestGophercloudLifecycle drives every secret operation with gophercloud v2.15.0, in both
// layouts: create without a payload, add one, read it, read the metadata, find it in a list,
// delete it, and see it gone.
func TestGophercloudLifecycle(t *testing.T) {
	for _, upstream := range []bool{false, true} {
		t.Run(layoutName(upstream), func(t *testing.T) {
			e := New(t)
			ctx := context.Background()
			c := e.Client(upstream, Token, Project)
			expiry := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Second)
			created, err := secrets.Create(ctx, c, secrets.CreateOpts{Name: "life", Algorithm: "aes", BitLength: 256,
				Mode: "cbc", SecretType: secrets.SymmetricSecret, Expiration: &expiry}).Extract()
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			prefix := e.Base(upstream, Project) + "/secrets/"
			id, ok := strings.CutPrefix(created.SecretRef, prefix)
			if !ok {
				t.Fatalf("SecretRef %q: want it under %s", created.SecretRef, prefix)
			}
			err = secrets.Update(ctx, c, id, secrets.UpdateOpts{ContentType: "application/octet-stream",
				ContentEncoding: "base64", Payload: "c2VjcmV0LXZhbHVl"}).ExtractErr()
			if err != nil {
				t.Fatalf("Update: %v", err)
			}
			payload, err := secrets.GetPayload(ctx, c, id, secrets.GetPayloadOpts{PayloadContentType: "application/octet-stream"}).Extract()
			if err != nil || string(payload) != "secret-value" {
				t.Fatalf("GetPayload: got %q, %v; want secret-value", payload, err)
			}
			got, err := secrets.Get(ctx, c, id).Extract()
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			want := secrets.Secret{Algorithm: "aes", BitLength: 256, Mode: "cbc", Name: "life", SecretRef: created.SecretRef,
				SecretType: "symmetric", Status: "ACTIVE", ContentTypes: map[string]string{"default": "application/octet-stream"}, Expiration: expiry}
			if got.Algorithm != want.Algorithm || got.BitLength != want.BitLength || got.Mode != want.Mode || got.Name != want.Name ||
				got.SecretRef != want.SecretRef || got.SecretType != want.SecretType || got.Status != want.Status ||
				got.ContentTypes["default"] != want.ContentTypes["default"] || !got.Expiration.Equal(expiry) ||
				got.Created.IsZero() || got.Updated.Before(got.Created) {
				t.Errorf("Get: got %+v, want %+v", got, want)
			}
			pages, err := secrets.List(c, secrets.ListOpts{Name: "life"}).AllPages(ctx)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			listed, err := secrets.ExtractSecrets(pages)
			if err != nil || len(listed) != 1 || listed[0].SecretRef != created.SecretRef {
				t.Fatalf("List: got %+v, %v; want the one secret", listed, err)
			}
			if err := secrets.Delete(ctx, c, id).ExtractErr(); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			_, err = secrets.Get(ctx, c, id).Extract()
			if !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
				t.Fatalf("Get after Delete: got %v, want 404", err)
			}
			if n := e.Count(t); n != 0 {
				t.Errorf("records after Delete: got %d, want 0", n)
			}
		})
	}
}

// TestGophercloudPager walks 250 secrets with gophercloud's pager (pages of 100 and the
// default 10) and sees each exactly once, following the next hrefs verbatim.
func TestGophercloudPager(t *testing.T) {
	e := New(t)
	ids := map[string]bool{}
	for range 250 {
		ids[e.Create(t, Project, `{}`)] = true
	}
	e.Create(t, OtherProject, `{}`) // never listed for Project
	for _, upstream := range []bool{false, true} {
		for _, limit := range []int{0, 100} {
			t.Run(fmt.Sprintf("%s/limit %d", layoutName(upstream), limit), func(t *testing.T) {
				seen := map[string]int{}
				pages := 0
				err := secrets.List(e.Client(upstream, Token, Project), secrets.ListOpts{Limit: limit}).EachPage(context.Background(),
					func(_ context.Context, p pagination.Page) (bool, error) {
						pages++
						list, err := secrets.ExtractSecrets(p)
						for _, s := range list {
							seen[s.SecretRef[strings.LastIndex(s.SecretRef, "/")+1:]]++
						}
						return true, err
					})
				if err != nil {
					t.Fatal(err)
				}
				wantPages := 25
				if limit == 100 {
					wantPages = 3
				}
				if pages != wantPages || len(seen) != len(ids) {
					t.Errorf("got %d pages, %d secrets; want %d pages, %d", pages, len(seen), wantPages, len(ids))
				}
				for id, n := range seen {
					if n != 1 || !ids[id] {
						t.Errorf("secret %s: seen %d times (of this project: %v), want once", id, n, ids[id])
					}
				}
			})
		}
	}
}

func layoutName(upstream bool) string {
	if upstream {
		return "upstream"
	}
	return "k5"
}
