package createsecret

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// TestStoredRecords checks what one create leaves in the store: the secret (attributes as
// given, value only sealed and bound to its record), its name record and the nonce. The handler
// runs on a fixed clock, off a millisecond boundary, so the times it stamps are exact.
func TestStoredRecords(t *testing.T) {
	e := newEnv(t)
	at := time.Now().Truncate(time.Millisecond).Add(400 * time.Microsecond)
	e.h = alibabatest.ServeOn(Row, e.Deps(func() time.Time { return at }))
	ctx := context.Background()
	nonce := alibabatest.Nonce()
	res := alibabatest.Do(t, e.h, call{body: okBody, nonce: nonce, date: at}.build()())
	if res.Status != 200 {
		t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
	}
	id, acct := res.SecretID(), credentials.DevAlibabaAccount
	ref := apigsecret.Ref(acct, id)

	rec, err := e.Store.Get(ctx, ref)
	if err != nil {
		t.Fatalf("got %v reading %s, want the secret", err, ref)
	}
	want := store.Attrs{"name": "my_secret", "gatewayType": "API", "secretSource": "KMS",
		"kmsInstanceId": "kst-1", "kmsKeyId": "key-1", "status": "ENABLE"}
	for k, v := range want {
		if rec.Attrs[k] != v {
			t.Errorf("attr %s: got %v, want %q", k, rec.Attrs[k], v)
		}
	}
	if _, ok := rec.Attrs["description"]; ok {
		t.Errorf("got a description attr for a request without one, want none")
	}
	if rec.CreatedAt.UnixMilli() != at.UnixMilli() {
		t.Errorf("got CreatedAt %v, want the handler's time %v", rec.CreatedAt, at)
	}
	if rec.Service != alibaba.Service || rec.Tenant != acct || !rec.ExpiresAt.IsZero() {
		t.Errorf("got service %q tenant %q expires %v, want %s %s never", rec.Service, rec.Tenant, rec.ExpiresAt, alibaba.Service, acct)
	}
	for k, v := range rec.Attrs {
		if strings.Contains(fmt.Sprint(v), "apikey-123456") {
			t.Errorf("attr %s holds the secret value", k)
		}
	}
	if bytes.Contains(rec.Sealed, []byte("apikey-123456")) {
		t.Errorf("got the plaintext inside the sealed blob")
	}
	scope := seal.Scope{Service: alibaba.Service, Tenant: acct}
	plain, err := e.Sealer.Open(ctx, scope, ref.AAD(), rec.Sealed)
	if err != nil || string(plain) != "apikey-123456" {
		t.Errorf("got %q, %v opening the blob, want the secretData", plain, err)
	}
	if _, err := e.Sealer.Open(ctx, scope, apigsecret.Ref(acct, id+"x").AAD(), rec.Sealed); err == nil {
		t.Errorf("got the blob opened under another record's ref, want ErrOpen")
	}
	if _, err := e.Sealer.Open(ctx, seal.Scope{Service: alibaba.Service, Tenant: "other"}, ref.AAD(), rec.Sealed); err == nil {
		t.Errorf("got the blob opened under another account, want ErrOpen")
	}

	if len(rec.Claims) != 0 {
		t.Errorf("got claims %v, want none (the name is a record of its own)", rec.Claims)
	}
	name, err := e.Store.Get(ctx, apigsecret.NameRef(acct, "my_secret"))
	if err != nil || name.Attrs.String(apigsecret.AttrSecretID) != id || name.Sealed != nil {
		t.Errorf("got name record %+v, %v; want one naming %s with no sealed value", name, err, id)
	}
	claim, err := e.Store.Get(ctx, store.Ref{Service: alibaba.Service, Tenant: acct, Kind: "nonce", ID: credentials.DevAlibabaKeyID + "/" + nonce})
	if err != nil {
		t.Fatalf("got %v, want the nonce claim", err)
	}
	// The claim must live until the request stops being fresh (the handler's time plus Window),
	// never less; the store rounds an expiry up to its precision (a millisecond for bolt), never down.
	if until := at.Add(alibaba.Window); claim.ExpiresAt.Before(until) || claim.ExpiresAt.Sub(until) >= time.Millisecond {
		t.Errorf("got nonce claim expiring at %v, want %v rounded up to the millisecond", claim.ExpiresAt, until)
	}
}

// TestDefaultSecretSource: a create without secretSource stores the default, KMS, so that every
// read renders one (docs/wire/alibaba.md, "Required and defaulted fields").
func TestDefaultSecretSource(t *testing.T) {
	e := newEnv(t)
	res := alibabatest.Do(t, e.h, call{body: body()}.build()())
	if res.Status != 200 {
		t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
	}
	rec, err := e.Store.Get(context.Background(), apigsecret.Ref(credentials.DevAlibabaAccount, res.SecretID()))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Attrs.String(apigsecret.AttrSecretSource); got != "KMS" {
		t.Errorf("got secretSource %q, want KMS", got)
	}
}
