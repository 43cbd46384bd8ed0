package createmultipathgatewaysecretkey

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"keyport/shared/testkit"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/api/tencent/zonekey"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// docKey is the SecretKey of Tencent's documented example: 44 characters, 32 bytes.
const docKey = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="

func keyOf(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }

// TestRules has one case per request rule: the exact code, HTTP 200 application/json (checked
// by tencenttest.Serve), and for refusals an empty store and no seal.
func TestRules(t *testing.T) {
	body := func(zone, key string) string { return `{"ZoneId":"` + zone + `","SecretKey":"` + key + `"}` }
	tests := []struct {
		name, body, wantCode, golden string
	}{
		// Accepted.
		{"documented example", body("zone-27q0p0bal192", docKey), "", "custom"},
		{"no SecretKey", `{"ZoneId":"zone-27q0p0bal192"}`, "", "generated"},
		{"blank SecretKey", body("zone-27q0p0bal192", ""), "", ""},
		{"SecretKey of 48 bytes", body("zone-27q0p0bal192", keyOf(48)), "", ""},
		{"ZoneId suffix of 1", body("zone-a", docKey), "", ""},
		{"ZoneId suffix of 32", body("zone-"+strings.Repeat("0", 32), docKey), "", ""},
		// ZoneId.
		{"no ZoneId", `{"SecretKey":"` + docKey + `"}`, "MissingParameter", "missing-zoneid"},
		{"null ZoneId", `{"ZoneId":null}`, "MissingParameter", ""},
		{"empty ZoneId", body("", docKey), "MissingParameter", ""},
		{"ZoneId prefix only", body("zone-", docKey), "InvalidParameterValue", ""},
		{"ZoneId other prefix", body("site-27q0p0bal192", docKey), "InvalidParameterValue", "bad-zoneid"},
		{"ZoneId upper-case prefix", body("Zone-27q0p0bal192", docKey), "InvalidParameterValue", ""},
		{"ZoneId upper-case suffix", body("zone-27Q0P0BAL192", docKey), "InvalidParameterValue", ""},
		{"ZoneId with underscore", body("zone-27q0_0bal192", docKey), "InvalidParameterValue", ""},
		{"ZoneId suffix of 33", body("zone-"+strings.Repeat("0", 33), docKey), "InvalidParameterValue", ""},
		// SecretKey.
		{"SecretKey not base64", body("zone-27q0p0bal192", "not base64!"), "InvalidParameterValue", "bad-secretkey"},
		{"SecretKey unpadded", body("zone-27q0p0bal192", strings.TrimRight(docKey, "=")), "InvalidParameterValue", ""},
		{"SecretKey URL-safe alphabet", body("zone-27q0p0bal192", strings.NewReplacer("/", "_", "+", "-").Replace(docKey)), "InvalidParameterValue", ""},
		{"SecretKey with a line break", body("zone-27q0p0bal192", docKey[:20]+`\n`+docKey[20:]), "InvalidParameterValue", ""},
		{"SecretKey of 31 bytes", body("zone-27q0p0bal192", keyOf(31)), "InvalidParameterValue", "short-secretkey"},
		{"SecretKey of 49 bytes", body("zone-27q0p0bal192", keyOf(49)), "InvalidParameterValue", ""},
		// Decoding.
		{"not JSON", `{"ZoneId":`, "InvalidParameter", ""},
		{"unknown parameter", `{"ZoneId":"zone-27q0p0bal192","GatewayId":"g"}`, "UnknownParameter", "unknown-parameter"},
		{"ZoneId not a string", `{"ZoneId":["zone-27q0p0bal192"]}`, "InvalidParameter", "wrong-type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			w, code := e.serve(t, signed(tt.body).HTTP(t))
			if code != tt.wantCode {
				t.Fatalf("got code %q, want %q (body %s)", code, tt.wantCode, w.Body)
			}
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(w.Body.Bytes()))
			}
			if tt.wantCode != "" {
				e.AssertEmpty(t)
				e.AssertNotSealed(t)
			}
			if strings.Contains(w.Body.String(), docKey) {
				t.Errorf("body %s echoes the SecretKey", w.Body)
			}
		})
	}
}

// TestStoredRecord checks the record, that its blob opens back to the key (given or
// generated) only under its own scope and record key, and that the key is nowhere in plaintext.
func TestStoredRecord(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"given", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"` + docKey + `"}`, docKey},
		{"generated", `{"ZoneId":"zone-27q0p0bal192"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if _, code := e.serve(t, signed(tt.body).HTTP(t)); code != "" {
				t.Fatalf("got code %q, want success", code)
			}
			ctx := context.Background()
			ref := zonekey.RecordRef(credentials.DevTencentAccount, "zone-27q0p0bal192")
			rec, err := e.Store.Get(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Tenant != credentials.DevTencentAccount || rec.Service != zonekey.Service || rec.Attrs.String("ZoneId") != "zone-27q0p0bal192" {
				t.Errorf("got tenant %q service %q attrs %v", rec.Tenant, rec.Service, rec.Attrs)
			}
			scope := seal.Scope{Service: zonekey.Service, Tenant: credentials.DevTencentAccount}
			got, err := e.Sealer.Open(ctx, scope, ref.AAD(), rec.Sealed)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if tt.want != "" && string(got) != tt.want {
				t.Errorf("got the key %q back, want the one sent", got)
			}
			if raw, err := base64.StdEncoding.Strict().DecodeString(string(got)); err != nil || len(raw) != 32 {
				t.Errorf("got a key of %d bytes (err %v), want 32 bytes of base64", len(raw), err)
			}
			if _, err := e.Sealer.Open(ctx, seal.Scope{Service: zonekey.Service, Tenant: otherAccount}, ref.AAD(), rec.Sealed); err == nil {
				t.Error("Open under another tenant: got nil error, want a failure")
			}
			e.AssertNoPlaintext(t, rec.Sealed, rec.Attrs, string(got))
		})
	}
}

// TestOneKeyPerZone checks that a zone's second key is OperationDenied, whatever the key, and
// that another account's zone of the same id is separate.
func TestOneKeyPerZone(t *testing.T) {
	e := newEnv(t)
	other := signed(`{"ZoneId":"zone-27q0p0bal192"}`)
	other.SecretID, other.SecretKey = otherSecretID, otherSecretKey
	steps := []struct {
		name     string
		req      tencenttest.Request
		wantCode string
	}{
		{"first", signed(`{"ZoneId":"zone-27q0p0bal192","SecretKey":"` + docKey + `"}`), ""},
		{"second, same key", signed(`{"ZoneId":"zone-27q0p0bal192","SecretKey":"` + docKey + `"}`), "OperationDenied"},
		{"second, generated", signed(`{"ZoneId":"zone-27q0p0bal192"}`), "OperationDenied"},
		{"other zone", signed(`{"ZoneId":"zone-2noz78a8ev6k"}`), ""},
		{"other account, same zone id", other, ""},
	}
	for _, s := range steps {
		w, code := e.serve(t, s.req.HTTP(t))
		if code != s.wantCode {
			t.Fatalf("%s: got code %q, want %q (body %s)", s.name, code, s.wantCode, w.Body)
		}
		if s.wantCode != "" {
			tencenttest.Golden(t, filepath.Join("testdata", "zone-has-key.json"), tencenttest.Normalise(w.Body.Bytes()))
		}
	}
	if n, _ := e.Store.CountRecords(context.Background()); n != 3 {
		t.Errorf("got %d records, want 3", n)
	}
}

// TestServerFaults checks that a failing sealer or store gives InternalError with a generic
// message, and stores nothing.
func TestServerFaults(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(e *env)
	}{
		{"sealer fails", func(e *env) { e.Seals.Err = testkit.ErrInjected }},
		{"store fails", func(e *env) { e.deps.Store = testkit.FailingStore{Err: testkit.ErrInjected}; e.h = Row.Serve(e.deps) }},
		{"store reports an unexpected conflict", func(e *env) {
			e.deps.Store = testkit.FailingStore{Err: &store.Conflict{Action: 0, Claim: 0, Reason: store.Claimed}}
			e.h = Row.Serve(e.deps)
		}},
		{"store reports a client-looking fault", func(e *env) {
			e.deps.Store = testkit.FailingStore{Err: fault.New(fault.LimitExceeded, "k", "quota")}
			e.h = Row.Serve(e.deps)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.mutate(e)
			w, code := e.serve(t, signed(`{"ZoneId":"zone-27q0p0bal192"}`).HTTP(t))
			if code != "InternalError" {
				t.Errorf("got code %q, want InternalError", code)
			}
			if strings.Contains(w.Body.String(), "10.0.0.1") || strings.Contains(w.Body.String(), "quota") {
				t.Errorf("body %s echoes the cause", w.Body)
			}
			e.AssertEmpty(t)
		})
	}
}
