package localserver

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/store"
)

// alibabaServer is the local server's mux on st (bolt unless given) with the two-account test
// book, as `make run` serves it.
func alibabaServer(t *testing.T, st store.Store) (*httptest.Server, http.Handler) {
	t.Helper()
	data := localdatatest.Open(t)
	if st == nil {
		st = data.Store
	}
	mux := newMux(quietServices(st, data.Sealer, at.Book(t)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, mux
}

// sdkError returns the SDK error's status and code, failing unless err is one.
func sdkError(t *testing.T, err error) (int, string) {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("got %T %v, want *tea.SDKError", err, err)
	}
	return dara.IntValue(se.StatusCode), dara.StringValue(se.Code)
}

// TestAlibabaLifecycleSDK runs the whole lifecycle with the official client's typed methods
// (apig-20240327/v6 v6.0.6) through the local server: create, get, list, value, update, value,
// references, delete, then get and value are 404 and the name can be created again.
func TestAlibabaLifecycleSDK(t *testing.T) {
	srv, _ := alibabaServer(t, nil)
	c := at.Client(t, srv, at.Dev)
	create := &apig.CreateSecretRequest{Name: dara.String("lifecycle_key"), SecretData: dara.String("apikey-v1"),
		Description: dara.String("rotated by the test"), GatewayType: dara.String("API"), SecretSource: dara.String("KMS"),
		KmsConfig: &apig.KMSConfig{KmsInstanceId: dara.String("kst-1"), KmsKeyId: dara.String("key-1")}}
	created, err := c.CreateSecret(create)
	if err != nil {
		t.Fatalf("CreateSecret: %v", err)
	}
	id := dara.StringValue(created.Body.Data.SecretId)

	got, err := c.GetSecret(&id)
	if err != nil {
		t.Fatalf("GetSecret: %v", err)
	}
	d := got.Body.Data
	if dara.StringValue(d.SecretId) != id || dara.StringValue(d.Name) != "lifecycle_key" || dara.StringValue(d.Status) != "ENABLE" ||
		dara.StringValue(d.GatewayType) != "API" || dara.StringValue(d.SecretSource) != "KMS" || dara.StringValue(d.KmsConfig.KmsKeyId) != "key-1" ||
		dara.Int32Value(d.ReferenceCount) != 0 || dara.Int64Value(d.CreateTimestamp) < time.Now().Add(-time.Minute).UnixMilli() ||
		dara.Int64Value(d.UpdateTimestamp) != dara.Int64Value(d.CreateTimestamp) {
		t.Errorf("GetSecret: got %s", dara.Prettify(d))
	}

	list, err := c.ListSecrets(&apig.ListSecretsRequest{GatewayType: dara.String("API"), NameLike: dara.String("cycle"),
		PageNumber: dara.Int32(1), PageSize: dara.Int32(100)})
	if err != nil {
		t.Fatalf("ListSecrets: %v", err)
	}
	if l := list.Body.Data; dara.Int32Value(l.TotalSize) != 1 || len(l.Items) != 1 || dara.StringValue(l.Items[0].SecretId) != id ||
		dara.Int32Value(l.PageSize) != 100 || dara.Int32Value(l.PageNumber) != 1 {
		t.Errorf("ListSecrets: got %s", dara.Prettify(l))
	}

	value := func(want string) {
		t.Helper()
		v, err := c.GetSecretValue(dara.String("lifecycle_key"))
		if err != nil || dara.StringValue(v.Body.Data.SecretData) != want {
			t.Errorf("GetSecretValue: got %v, %v; want %q", v, err, want)
		}
	}
	value("apikey-v1")
	if _, err := c.UpdateSecret(&id, &apig.UpdateSecretRequest{SecretData: dara.String("apikey-v2")}); err != nil {
		t.Fatalf("UpdateSecret: %v", err)
	}
	value("apikey-v2")
	if after, err := c.GetSecret(&id); err != nil || dara.Int64Value(after.Body.Data.UpdateTimestamp) <= dara.Int64Value(d.UpdateTimestamp) ||
		dara.StringValue(after.Body.Data.Name) != "lifecycle_key" || dara.StringValue(after.Body.Data.GatewayType) != "API" ||
		dara.Int64Value(after.Body.Data.CreateTimestamp) != dara.Int64Value(d.CreateTimestamp) {
		t.Errorf("GetSecret after update: got %v, %v; want a later updateTimestamp, the rest unchanged", after, err)
	}

	refs, err := c.ListSecretReferences(&id, &apig.ListSecretReferencesRequest{PageNumber: dara.Int32(1), PageSize: dara.Int32(10)})
	if err != nil || dara.Int32Value(refs.Body.Data.TotalSize) != 0 || len(refs.Body.Data.Items) != 0 {
		t.Errorf("ListSecretReferences: got %v, %v; want an empty page", refs, err)
	}

	if resp, err := c.DeleteSecret(&id); err != nil || dara.StringValue(resp.Body.Code) != "Ok" {
		t.Fatalf("DeleteSecret: got %v, %v", resp, err)
	}
	_, err = c.GetSecret(&id)
	if status, code := sdkError(t, err); status != 404 || code != "NotFound.Secret" {
		t.Errorf("GetSecret after delete: got %d %s, want 404 NotFound.Secret", status, code)
	}
	_, err = c.GetSecretValue(dara.String("lifecycle_key"))
	if status, code := sdkError(t, err); status != 404 || code != "NotFound.Secret" {
		t.Errorf("GetSecretValue after delete: got %d %s, want 404 NotFound.Secret", status, code)
	}
	if again, err := c.CreateSecret(create); err != nil || dara.StringValue(again.Body.Data.SecretId) == id {
		t.Errorf("CreateSecret of the deleted name: got %v, %v; want a new secret", again, err)
	}
}

// TestAlibabaAcrossAccounts: with the official client, another account sees nothing of a
// secret (every id- or name-addressed operation is 404 NotFound.Secret, exactly as for an id
// that never existed), lists none of it and changes nothing.
func TestAlibabaAcrossAccounts(t *testing.T) {
	srv, _ := alibabaServer(t, nil)
	mine, theirs := at.Client(t, srv, at.Dev), at.Client(t, srv, at.Other)
	created, err := mine.CreateSecret(&apig.CreateSecretRequest{Name: dara.String("private"), SecretData: dara.String("apikey-private"),
		GatewayType: dara.String("API"), KmsConfig: &apig.KMSConfig{KmsInstanceId: dara.String("kst-1"), KmsKeyId: dara.String("key-1")}})
	if err != nil {
		t.Fatal(err)
	}
	id := dara.StringValue(created.Body.Data.SecretId)
	unknown := "sec-aaaaaaaaaaaaaaaaaaaa"
	for _, tc := range []struct {
		name string
		call func(c *apig.Client, id, name string) error
	}{
		{"GetSecret", func(c *apig.Client, id, _ string) error { _, err := c.GetSecret(&id); return err }},
		{"GetSecretValue", func(c *apig.Client, _, name string) error { _, err := c.GetSecretValue(&name); return err }},
		{"UpdateSecret", func(c *apig.Client, id, _ string) error {
			_, err := c.UpdateSecret(&id, &apig.UpdateSecretRequest{SecretData: dara.String("stolen")})
			return err
		}},
		{"ListSecretReferences", func(c *apig.Client, id, _ string) error {
			_, err := c.ListSecretReferences(&id, &apig.ListSecretReferencesRequest{})
			return err
		}},
		{"DeleteSecret", func(c *apig.Client, id, _ string) error { _, err := c.DeleteSecret(&id); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s1, c1 := sdkError(t, tc.call(theirs, id, "private"))
			s2, c2 := sdkError(t, tc.call(theirs, unknown, "nobody"))
			if s1 != 404 || c1 != "NotFound.Secret" || s1 != s2 || c1 != c2 {
				t.Errorf("got %d %s for another account's secret and %d %s for none, want 404 NotFound.Secret for both", s1, c1, s2, c2)
			}
		})
	}
	list, err := theirs.ListSecrets(&apig.ListSecretsRequest{})
	if err != nil || dara.Int32Value(list.Body.Data.TotalSize) != 0 || len(list.Body.Data.Items) != 0 {
		t.Errorf("ListSecrets as the other account: got %v, %v; want nothing", list, err)
	}
	v, err := mine.GetSecretValue(dara.String("private"))
	if err != nil || dara.StringValue(v.Body.Data.SecretData) != "apikey-private" {
		t.Errorf("GetSecretValue as the owner: got %v, %v; want the value unchanged", v, err)
	}
}

// TestAlibabaSDKRefusals: what the client surfaces for ids and names that need escaping (the
// signature holds over the path as the SDK escaped it, so they are 404, not a signature
// mismatch), a paging parameter out of range and a wrong AccessKeySecret on a read.
func TestAlibabaSDKRefusals(t *testing.T) {
	srv, _ := alibabaServer(t, nil)
	for _, odd := range []string{"sec a*b~", "a:b@c$d&e+f,g;h=i", "é/ü?#%", "x!'()"} {
		_, err := at.Client(t, srv, at.Dev).GetSecret(dara.String(odd))
		if status, code := sdkError(t, err); status != 404 || code != "NotFound.Secret" || !strings.Contains(err.Error(), odd) {
			t.Errorf("GetSecret(%q): got %d %s (%v), want 404 NotFound.Secret naming it", odd, status, code, err)
		}
		_, err = at.Client(t, srv, at.Dev).GetSecretValue(dara.String(odd))
		if status, code := sdkError(t, err); status != 404 || code != "NotFound.Secret" {
			t.Errorf("GetSecretValue(%q): got %d %s (%v), want 404 NotFound.Secret", odd, status, code, err)
		}
	}
	_, err := at.Client(t, srv, at.Dev).ListSecrets(&apig.ListSecretsRequest{PageSize: dara.Int32(101)})
	if status, code := sdkError(t, err); status != 400 || code != "InvalidParameter" || !strings.Contains(err.Error(), "pageSize") {
		t.Errorf("pageSize 101: got %d %s (%v), want 400 InvalidParameter naming pageSize", status, code, err)
	}
	wrong := at.Dev
	wrong.Secret = "not-the-secret"
	_, err = at.Client(t, srv, wrong).GetSecretValue(dara.String("x"))
	if status, code := sdkError(t, err); status != 403 || code != "SignatureDoesNotMatch" {
		t.Errorf("wrong secret: got %d %s, want 403 SignatureDoesNotMatch", status, code)
	}
}
