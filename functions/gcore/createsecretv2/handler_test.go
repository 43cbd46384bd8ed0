package createsecretv2

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/seal"
)

// TestCreateThenV1: a v2 secret is served by the v1 get, list and delete like any other, as
// secret_type certificate with content type text/plain; its sealed payload is the PEM bundle
// and no record attribute holds any of it.
func TestCreateThenV1(t *testing.T) {
	e := newEnv(t)
	exp := e.now.Add(48 * time.Hour)
	id := e.created(t, gcoretest.Do(e.h, "POST", path, auth(), e.pki.body("expiration", exp.Format("2006-01-02T15:04:05.000000"))))

	w := gcoretest.Do(e.h, "GET", "/cloud/v1/secrets/1/76/"+id, auth(), "")
	var got gcoresecret.JSON
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &got) != nil {
		t.Fatalf("get: %d %s", w.Code, w.Body)
	}
	wantExp := exp.Format(gcoresecret.TimeLayout)
	if got.ID != id || got.Name != "lb certificate" || got.SecretType != "certificate" || got.Status != "ACTIVE" ||
		got.ContentTypes["default"] != "text/plain" || len(got.ContentTypes) != 1 || got.Expiration == nil || *got.Expiration != wantExp ||
		got.Algorithm != nil || got.BitLength != nil || got.Mode != nil {
		t.Fatalf("get: got %s", w.Body)
	}

	lw := gcoretest.Do(e.h, "GET", "/cloud/v1/secrets/1/76", auth(), "")
	var list struct {
		Count   int
		Results []gcoresecret.JSON
	}
	if json.Unmarshal(lw.Body.Bytes(), &list) != nil || list.Count != 1 || len(list.Results) != 1 || !reflect.DeepEqual(list.Results[0], got) {
		t.Fatalf("list: got %s, want the secret get answered", lw.Body)
	}

	rec, err := e.store.Get(context.Background(), gcoresecret.Ref(gcore.Scope{Project: 1, Region: 76}, id))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range rec.Attrs {
		if s, ok := v.(string); ok && strings.Contains(s, "-----") {
			t.Errorf("attr %s holds PEM", k)
		}
	}
	plain, err := e.sealer.Open(context.Background(), seal.Scope{Service: gcore.Service, Tenant: "1"}, rec.Ref.AAD(), rec.Sealed)
	if want := e.pki.cert + e.pki.chain + e.pki.key; err != nil || string(plain) != want {
		t.Fatalf("sealed payload: got %q, %v; want the certificate, chain and key", plain, err)
	}

	dw := gcoretest.Do(e.h, "DELETE", "/cloud/v1/secrets/1/76/"+id, auth(), "")
	if dw.Code != 200 || !strings.Contains(dw.Body.String(), `"tasks":[`) {
		t.Fatalf("delete: %d %s", dw.Code, dw.Body)
	}
	if w := gcoretest.Do(e.h, "GET", "/cloud/v1/secrets/1/76/"+id, auth(), ""); w.Code != 404 {
		t.Fatalf("get after delete: %d %s, want 404", w.Code, w.Body)
	}
}

// TestKeyForms: every private-key form OpenSSL and Go write is accepted for its certificate.
func TestKeyForms(t *testing.T) {
	tests := []struct {
		name string
		pki  func(t *testing.T) pki
	}{
		{"RSA PKCS #1", func(t *testing.T) pki { return newPKI(t, rsaKey(), pkcs1) }},
		{"RSA PKCS #8", func(t *testing.T) pki { return newPKI(t, rsaKey(), pkcs8) }},
		{"EC SEC 1", func(t *testing.T) pki { return newPKI(t, ecKey(t), sec1) }},
		{"EC PKCS #8", func(t *testing.T) pki { return newPKI(t, ecKey(t), pkcs8) }},
		{"Ed25519 PKCS #8", func(t *testing.T) pki { return newPKI(t, edKey(t), pkcs8) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			p := tt.pki(t)
			e.created(t, gcoretest.Do(e.h, "POST", path, auth(), p.body()))
		})
	}
	t.Run("CRLF line ends, whitespace around, chain of two", func(t *testing.T) {
		e := newEnv(t)
		p := e.pki
		crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
		body := p.body("certificate", "\n "+crlf(p.cert)+"\n\n", "certificate_chain", p.chain+"\n"+p.chain, "private_key", crlf(p.key))
		e.created(t, gcoretest.Do(e.h, "POST", path, auth(), body))
	})
}

// TestRefusals: every rule has a failing request; each names its field and leaves the store
// empty.
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	p := e.pki
	other := newPKI(t, ecKey(t), pkcs8) // a second, unrelated certificate and key
	cert, key := p.cert, p.key
	// A CERTIFICATE block whose DER is not a certificate, and a key block that is not a key.
	badCert := pemOf("CERTIFICATE", []byte("not DER at all"))
	badKey := pemOf("PRIVATE KEY", []byte("not DER at all"))
	oversize := cert + strings.Repeat(" ", maxPEM)
	truncated := cert[:len(cert)-30]
	encrypted := strings.Replace(key, "-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n", 1)
	tests := []struct {
		name, body   string
		status       int
		class, field string
		msg          string
	}{
		// The body and its top-level fields.
		{"not JSON", `{"name":`, 400, "ValidationError", "", "not valid JSON"},
		{"JSON array", `[]`, 400, "ValidationError", "", "must be a JSON object"},
		{"name missing", p.body("name", absent), 400, "ValidationError", "name", "Field required"},
		{"name empty", p.body("name", ""), 400, "ValidationError", "name", "Field required"},
		{"name not a string", p.body("name", 7), 400, "ValidationError", "name", "must be a string"},
		{"name too long", p.body("name", strings.Repeat("n", 256)), 400, "ValidationError", "name", "must be 0 to 255"},
		{"payload missing", p.body("payload", absent), 400, "ValidationError", "payload", "Field required"},
		{"payload null", p.body("payload", nil), 400, "ValidationError", "payload", "Field required"},
		{"payload a string", p.body("payload", cert), 400, "ValidationError", "payload", "must be an object"},
		{"payload an array", p.body("payload", []string{cert}), 400, "ValidationError", "payload", "must be an object"},
		{"expiration not a date", p.body("expiration", "next year"), 400, "ValidationError", "expiration", "ISO-8601"},
		{"expiration in the past", p.body("expiration", "2020-01-01T00:00:00"), 400, "ValidationError", "expiration", "must be in the future"},
		{"expiration not a string", p.body("expiration", 1893456000), 400, "ValidationError", "expiration", "must be a string"},
		// Each payload member present, a string, within its size.
		{"certificate missing", p.body("certificate", absent), 400, "ValidationError", fieldCertificate, "Field required"},
		{"certificate empty", p.body("certificate", ""), 400, "ValidationError", fieldCertificate, "Field required"},
		{"certificate not a string", p.body("certificate", 1), 400, "ValidationError", fieldCertificate, "must be a string"},
		{"certificate oversize", p.body("certificate", oversize), 413, "ValidationError", fieldCertificate, "at most 20000"},
		{"chain missing", p.body("certificate_chain", absent), 400, "ValidationError", fieldChain, "Field required"},
		{"chain null", p.body("certificate_chain", nil), 400, "ValidationError", fieldChain, "Field required"},
		{"chain oversize", p.body("certificate_chain", p.chain+strings.Repeat(p.chain, maxPEM/len(p.chain))), 413, "ValidationError", fieldChain, "at most 20000"},
		{"key missing", p.body("private_key", absent), 400, "ValidationError", fieldPrivateKey, "Field required"},
		{"key a list", p.body("private_key", []string{key}), 400, "ValidationError", fieldPrivateKey, "must be a string"},
		{"key oversize", p.body("private_key", key+strings.Repeat("\n", maxPEM)), 413, "ValidationError", fieldPrivateKey, "at most 20000"},
		// The certificate.
		{"certificate not PEM", p.body("certificate", "MIIBmDCCAT6gAwIBAgIBAjAK"), 400, "ValidationError", fieldCertificate, "must be a PEM-encoded X.509 certificate"},
		{"certificate truncated", p.body("certificate", truncated), 400, "ValidationError", fieldCertificate, "must be a PEM-encoded"},
		{"certificate with text before", p.body("certificate", "subject=CN=lb.example\n"+cert), 400, "ValidationError", fieldCertificate, "must be a PEM-encoded"},
		{"certificate with text after", p.body("certificate", cert+"garbage"), 400, "ValidationError", fieldCertificate, "must be a PEM-encoded"},
		{"certificate bad base64", p.body("certificate", strings.Replace(cert, "M", "!", 3)), 400, "ValidationError", fieldCertificate, "must be a PEM-encoded"},
		{"certificate bad DER", p.body("certificate", badCert), 400, "ValidationError", fieldCertificate, "not valid X.509"},
		{"certificate is the key", p.body("certificate", key), 400, "ValidationError", fieldCertificate, "only CERTIFICATE"},
		{"certificate is a CSR", p.body("certificate", pemOf("CERTIFICATE REQUEST", []byte{1})), 400, "ValidationError", fieldCertificate, "only CERTIFICATE"},
		{"certificate with its chain", p.body("certificate", cert+p.chain), 400, "ValidationError", fieldCertificate, "exactly one certificate"},
		// The chain.
		{"chain garbage", p.body("certificate_chain", "intermediate goes here"), 400, "ValidationError", fieldChain, "one or more PEM-encoded"},
		{"chain garbage between blocks", p.body("certificate_chain", p.chain+"# root\n"+p.chain), 400, "ValidationError", fieldChain, "one or more PEM-encoded"},
		{"chain holds a key", p.body("certificate_chain", p.chain+key), 400, "ValidationError", fieldChain, "only CERTIFICATE"},
		{"chain bad DER", p.body("certificate_chain", p.chain+badCert), 400, "ValidationError", fieldChain, "not valid X.509"},
		{"chain whitespace only", p.body("certificate_chain", " \n"), 400, "ValidationError", fieldChain, "one or more PEM-encoded"},
		// The key.
		{"key not PEM", p.body("private_key", "secret"), 400, "ValidationError", fieldPrivateKey, "one PEM-encoded private key"},
		{"key twice", p.body("private_key", key+key), 400, "ValidationError", fieldPrivateKey, "one PEM-encoded private key"},
		{"key is a certificate", p.body("private_key", cert), 400, "ValidationError", fieldPrivateKey, "must be a PRIVATE KEY"},
		{"key is a public key", p.body("private_key", pemOf("PUBLIC KEY", []byte{1})), 400, "ValidationError", fieldPrivateKey, "must be a PRIVATE KEY"},
		{"key encrypted PKCS #8", p.body("private_key", pemOf("ENCRYPTED PRIVATE KEY", []byte{1})), 400, "ValidationError", fieldPrivateKey, "must not be encrypted"},
		{"key encrypted legacy", p.body("private_key", encrypted), 400, "ValidationError", fieldPrivateKey, "must not be encrypted"},
		{"key bad DER", p.body("private_key", badKey), 400, "ValidationError", fieldPrivateKey, "not a valid private key"},
		{"key type label wrong", p.body("private_key", strings.ReplaceAll(key, "PRIVATE KEY", "RSA PRIVATE KEY")), 400, "ValidationError", fieldPrivateKey, "not a valid private key"},
		{"key of another certificate", p.body("private_key", other.key), 400, "ValidationError", fieldPrivateKey, "does not match"},
		{"certificate of another key", p.body("certificate", other.cert), 400, "ValidationError", fieldPrivateKey, "does not match"},
		{"RSA key for an EC certificate", p.body("private_key", pkcs1(rsaKey())), 400, "ValidationError", fieldPrivateKey, "does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.checkRefused(t, gcoretest.Do(e.h, "POST", path, auth(), tt.body), tt.status, tt.class, tt.field, tt.msg)
		})
	}
}

// TestEveryBadFieldIsNamed: one request breaking a rule in every field lists them all, and a
// key mismatch is judged only once the three parse.
func TestEveryBadFieldIsNamed(t *testing.T) {
	e := newEnv(t)
	body := `{"name":"","expiration":"soon","payload":{"certificate":"x","certificate_chain":5,"private_key":null}}`
	w := gcoretest.Do(e.h, "POST", path, auth(), body)
	gcoretest.CheckRefusal(t, w, 400, "ValidationError", []string{"name", "expiration", fieldCertificate, fieldChain, fieldPrivateKey}, "Validation Error")
	body = e.pki.body("certificate", "x", "private_key", newPKI(t, ecKey(t), pkcs8).key)
	gcoretest.CheckRefusal(t, gcoretest.Do(e.h, "POST", path, auth(), body), 400, "ValidationError", []string{fieldCertificate}, "Validation Error")
}

// TestTenants: the path's project and region scope the create and everything after it; a
// token that does not reach them learns nothing and writes nothing.
func TestTenants(t *testing.T) {
	e := newEnv(t)
	region7 := gcoretest.Header("Authorization", "APIKey "+gcoretest.TokenRegion7)
	for _, tt := range []struct {
		name, path string
		header     map[string][]string
		status     int
		class, msg string
	}{
		{"no token", path, nil, 401, "NotAuthenticated", "not provided"},
		{"unknown token", path, gcoretest.APIKey("nope"), 401, "AuthenticationFailed", "Bad permanent token"},
		{"project not granted", "/cloud/v2/secrets/3/7", auth(), 404, "NotFoundError", "Project 3"},
		{"region not granted", "/cloud/v2/secrets/3/8", region7, 404, "NotFoundError", "Region 8"},
		{"project not a number", "/cloud/v2/secrets/x/76", auth(), 404, "NotFoundError", "Not found."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e.checkRefused(t, gcoretest.Do(e.h, "POST", tt.path, tt.header, e.pki.body()), tt.status, tt.class, "", tt.msg)
		})
	}
	// Project 3's secret is invisible to the token of projects 1 and 2, and project 1's to the
	// token of project 3; neither region sees the other's.
	id3 := e.createdAs(t, gcoretest.Do(e.h, "POST", "/cloud/v2/secrets/3/7", region7, e.pki.body()), region7)
	id1 := e.created(t, gcoretest.Do(e.h, "POST", path, auth(), e.pki.body()))
	for _, probe := range []struct {
		method, path string
		header       map[string][]string
	}{
		{"GET", "/cloud/v1/secrets/3/7/" + id3, auth()},
		{"DELETE", "/cloud/v1/secrets/3/7/" + id3, auth()},
		{"GET", "/cloud/v1/secrets/1/76/" + id1, region7},
		{"GET", "/cloud/v1/secrets/1/77/" + id1, auth()},
		{"GET", "/cloud/v1/secrets/3/7/" + id1, region7},
	} {
		if w := gcoretest.Do(e.h, probe.method, probe.path, probe.header, ""); w.Code != 404 {
			t.Errorf("%s %s: got %d %s, want 404", probe.method, probe.path, w.Code, w.Body)
		}
	}
	if w := gcoretest.Do(e.h, "GET", "/cloud/v1/secrets/1/77", auth(), ""); !strings.Contains(w.Body.String(), `"count":0`) {
		t.Errorf("list of another region: %s", w.Body)
	}
	if w := gcoretest.Do(e.h, "GET", "/cloud/v1/secrets/3/7/"+id3, region7, ""); w.Code != 200 {
		t.Errorf("owner's get: %d %s", w.Code, w.Body)
	}
}
