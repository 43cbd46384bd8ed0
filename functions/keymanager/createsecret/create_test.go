package createsecret

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// fixedNow is the handler's clock in these tests; expirations are far enough ahead of the real
// clock that the store (which uses the real clock) still shows the record.
var fixedNow = time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)

const pemKey = "-----BEGIN RSA PRIVATE KEY-----\r\nMIIEowIBAAKCAQEAuyWf1R49q5ccq60LoJ1MHf0lQ\r\n" +
	"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\r\n-----END RSA PRIVATE KEY-----"

func TestCreate(t *testing.T) {
	base := map[string]string{"secret_type": "opaque", "status": "ACTIVE",
		"created": "2026-03-04T05:06:07.123456", "updated": "2026-03-04T05:06:07.123456"}
	tests := []struct {
		name    string
		ctype   string
		header  map[string]string
		body    string
		attrs   map[string]string // besides base; "name" absent means the resource id
		payload string            // what the sealed blob must open to; "" means nothing sealed
		expires time.Time
		scheme  string
	}{
		{name: "metadata_only", body: `{}`},
		{name: "all_metadata", body: `{"name":"key1","algorithm":"aes","bit_length":256,"mode":"cbc","secret_type":"symmetric","expiration":"2099-02-28T19:14:44.180394"}`,
			attrs:   map[string]string{"name": "key1", "algorithm": "aes", "bit_length": "256", "mode": "cbc", "secret_type": "symmetric", "expiration": "2099-02-28T19:14:44.180394"},
			expires: time.Date(2099, 2, 28, 19, 14, 44, 180394000, time.UTC)},
		{name: "expiration_with_zone", body: `{"expiration":"2099-01-01T09:00:00+09:00"}`,
			attrs: map[string]string{"expiration": "2099-01-01T00:00:00"}, expires: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "octet_stream", body: `{"name":"k","payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`,
			attrs:   map[string]string{"name": "k", "payload_content_type": "application/octet-stream", "payload_content_encoding": "base64"},
			payload: "hi"},
		{name: "octet_stream_wrapped", body: `{"payload":"  c2VjcmV0\nLXZhbHVl\n","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`,
			attrs:   map[string]string{"payload_content_type": "application/octet-stream", "payload_content_encoding": "base64"},
			payload: "secret-value"},
		{name: "text_pem", body: `{"name":"rsa","payload":` + quote(pemKey+"\n") + `,"payload_content_type":"text/plain","secret_type":"private"}`,
			attrs:   map[string]string{"name": "rsa", "payload_content_type": "text/plain", "secret_type": "private"},
			payload: pemKey},
		{name: "text_pem_one_line", body: `{"payload":"-----BEGIN XXXX-----MIIEowRwg7Jp-----END XXXX-----","payload_content_type":"text/plain; charset=utf-8"}`,
			attrs:   map[string]string{"payload_content_type": "text/plain; charset=utf-8"},
			payload: "-----BEGIN XXXX-----MIIEowRwg7Jp-----END XXXX-----"},
		{name: "text_pem_with_attributes", body: `{"payload":"Bag Attributes: x\n-----BEGIN A-----\nQUJD\n-----END A-----\n-----BEGIN B-----\nREVG\n-----END B-----","payload_content_type":"text/plain;charset=utf-8"}`,
			attrs:   map[string]string{"payload_content_type": "text/plain;charset=utf-8"},
			payload: "Bag Attributes: x\n-----BEGIN A-----\nQUJD\n-----END A-----\n-----BEGIN B-----\nREVG\n-----END B-----"},
		{name: "stripped_and_unknown_fields", ctype: "application/json; charset=UTF-8",
			body:  `{"name":"  key 1  ","Payload":"ignored","transport_key_needed":"maybe","extra":{"a":[1]},"expiration":"  "}`,
			attrs: map[string]string{"name": "key 1"}},
		{name: "empty_name_is_resource_id", body: `{"name":null,"algorithm":""}`, attrs: map[string]string{"algorithm": ""}},
		{name: "encoding_without_payload", body: `{"payload_content_encoding":"base64"}`, attrs: map[string]string{"payload_content_encoding": "base64"}},
		{name: "bit_length_bounds", body: `{"bit_length":32767}`, attrs: map[string]string{"bit_length": "32767"}},
		{name: "name_255", body: `{"name":"` + strings.Repeat("~", 255) + `"}`, attrs: map[string]string{"name": strings.Repeat("~", 255)}},
		{name: "body_of_10000_bytes", body: `{"x":"` + strings.Repeat("a", int(keymanager.K5.MaxRequest())-8) + `"}`},
		{name: "forwarded_https", header: map[string]string{"X-Forwarded-Proto": "https, http"}, body: `{}`, scheme: "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func() time.Time { return fixedNow })
			r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(tt.body))
			r.Header.Set("X-Auth-Token", devToken)
			r.Header.Set("Content-Type", or(tt.ctype, "application/json"))
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			e.mux.ServeHTTP(rec, r)
			if rec.Code != http.StatusCreated {
				t.Fatalf("status: got %d, want 201 (body %s)", rec.Code, rec.Body)
			}
			id := checkCreated(t, rec, or(tt.scheme, "http")+"://example.com"+path+"/")
			if tt.name != "body_of_10000_bytes" {
				golden(t, "created_"+tt.name, rec.Body.Bytes())
			}
			want := maps.Clone(base)
			want["name"] = id
			maps.Copy(want, tt.attrs)
			checkRecord(t, e, id, want, tt.payload, tt.expires)
		})
	}
}

// checkCreated checks the 201's headers and body and returns the new secret's UUID.
func checkCreated(t *testing.T, rec *httptest.ResponseRecorder, prefix string) string {
	t.Helper()
	var body struct {
		SecretRef string `json:"secret_ref"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	id, ok := strings.CutPrefix(body.SecretRef, prefix)
	if !ok || !uuidRE.MatchString(id) || len(id) != 36 {
		t.Errorf("secret_ref: got %q, want %s<uuid v4>", body.SecretRef, prefix)
	}
	if got := rec.Header().Get("Location"); got != body.SecretRef {
		t.Errorf("Location: got %q, want %q", got, body.SecretRef)
	}
	if got := rec.Header().Get("X-Openstack-Request-Id"); !uuidRE.MatchString(got) {
		t.Errorf("X-Openstack-Request-Id: got %q, want req-<uuid>", got)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json; charset=UTF-8" {
		t.Errorf("Content-Type: got %q, want application/json; charset=UTF-8", got)
	}
	return id
}

// checkRecord reads the record back and checks its metadata, expiry and sealed payload.
func checkRecord(t *testing.T, e *env, id string, attrs map[string]string, payload string, expires time.Time) {
	t.Helper()
	ctx := context.Background()
	ref := store.Ref{Service: "k5-keymanager", Tenant: devTenant, Kind: "secret", ID: id}
	rec, err := e.store.Get(ctx, ref)
	if err != nil {
		t.Fatalf("Get(%s): %v", ref, err)
	}
	if rec.Service != kmsecret.Service || rec.Tenant != devTenant {
		t.Errorf("service, tenant: got %q, %q, want %q, %q", rec.Service, rec.Tenant, kmsecret.Service, devTenant)
	}
	if !maps.Equal(rec.Attrs, asAttrs(attrs)) {
		t.Errorf("attrs:\ngot  %v\nwant %v", rec.Attrs, attrs)
	}
	// Drivers keep times to their own precision (bolt: ms, rounding expiry up; DynamoDB's TTL:
	// seconds); record_test checks the exact values handed to the store.
	if d := rec.ExpiresAt.Sub(expires); rec.ExpiresAt.IsZero() != expires.IsZero() || d < 0 || d >= time.Second {
		t.Errorf("ExpiresAt: got %v, want %v (to the store's precision)", rec.ExpiresAt, expires)
	}
	if d := fixedNow.Sub(rec.CreatedAt); d < 0 || d >= time.Second {
		t.Errorf("CreatedAt: got %v, want %v (to the store's precision)", rec.CreatedAt, fixedNow)
	}
	if n := e.count(t); n != 1 {
		t.Errorf("store holds %d records, want 1", n)
	}
	if payload == "" {
		if rec.Sealed != nil {
			t.Errorf("Sealed: got %d bytes for a secret without payload, want none", len(rec.Sealed))
		}
		return
	}
	checkSealed(t, e.sealer, rec, payload)
}

// asAttrs is m as stored attributes: every K5 attribute is a string.
func asAttrs(m map[string]string) store.Attrs {
	a := make(store.Attrs, len(m))
	for k, v := range m {
		a[k] = v
	}
	return a
}

// checkSealed opens the blob under the secret's scope and record key, and checks the
// plaintext appears nowhere in the record.
func checkSealed(t *testing.T, s *seal.Sealer, rec store.Record, payload string) {
	t.Helper()
	got, err := s.Open(context.Background(), kmsecret.Scope(rec.Tenant), rec.Ref.AAD(), rec.Sealed)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if string(got) != payload {
		t.Errorf("opened payload: got %q, want %q", got, payload)
	}
	if bytes.Contains(rec.Sealed, []byte(payload)) {
		t.Error("the sealed blob holds the plaintext")
	}
	for k, v := range rec.Attrs {
		if strings.Contains(fmt.Sprint(v), payload) {
			t.Errorf("attr %s holds the plaintext", k)
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
