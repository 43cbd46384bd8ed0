package createsecret

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/seal"
	"keyport/shared/store"
)

const path = "/cloud/v1/secrets/1/76"

// TestRefusals: every rule has a failing request; each asserts the class, status, the field
// named, and that the store still holds nothing.
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("a", 256)
	tests := []struct {
		name       string
		header     http.Header
		path, body string
		wantStatus int
		wantClass  string
		wantField  string // in invalid_fields and the message; "" to check wantMsg instead
		wantMsg    string
	}{
		// Authentication and authorization.
		{"no Authorization", gcoretest.Header("Content-Type", "application/json"), path, with(), 401, "NotAuthenticated", "", "Authentication credentials were not provided."},
		{"Bearer scheme", gcoretest.Header("Authorization", "Bearer "+gcoretest.TokenAll), path, with(), 401, "AuthenticationFailed", "", "Invalid token header"},
		{"token without scheme", gcoretest.Header("Authorization", gcoretest.TokenAll), path, with(), 401, "AuthenticationFailed", "", "Invalid token header"},
		{"empty token", gcoretest.Header("Authorization", "APIKey "), path, with(), 401, "AuthenticationFailed", "", "No credentials provided"},
		{"wrong token", gcoretest.Header("Authorization", "APIKey wrong-token"), path, with(), 401, "AuthenticationFailed", "", "Bad permanent token."},
		{"project not granted", auth(), "/cloud/v1/secrets/9/76", with(), 404, "NotFoundError", "", "Project 9 could not be found"},
		{"region not granted", gcoretest.Header("Authorization", "apikey "+gcoretest.TokenRegion7), "/cloud/v1/secrets/3/8", with(), 404, "NotFoundError", "", "Region 8 could not be found"},
		// Path ids.
		{"project zero", auth(), "/cloud/v1/secrets/0/76", with(), 404, "NotFoundError", "", "Not found."},
		{"project not a number", auth(), "/cloud/v1/secrets/abc/76", with(), 404, "NotFoundError", "", "Not found."},
		{"region negative", auth(), "/cloud/v1/secrets/1/-1", with(), 404, "NotFoundError", "", "Not found."},
		{"region overflows", auth(), "/cloud/v1/secrets/1/9223372036854775808", with(), 404, "NotFoundError", "", "Not found."},
		// Content type and body limits.
		{"form content type", gcoretest.Header("Authorization", "APIKey "+gcoretest.TokenAll, "Content-Type", "application/x-www-form-urlencoded"), path, with(), 415, "UnsupportedMediaType", "", "Unsupported media type"},
		{"body over 1 MB", auth(), path, with("name", strings.Repeat("a", 1<<20)), 413, "ValidationError", "", "request body is over 1048576 bytes"},
		{"not JSON", auth(), path, `{"name":`, 400, "ValidationError", "", "JSON parse error"},
		{"JSON array", auth(), path, `[1]`, 400, "ValidationError", "", "must be a JSON object"},
		{"JSON null", auth(), path, `null`, 400, "ValidationError", "", "must be a JSON object"},
		{"empty body", auth(), path, ``, 400, "ValidationError", "", "must be a JSON object"},
		{"trailing garbage", auth(), path, with() + "x", 400, "ValidationError", "", "not valid JSON"},
		// Required fields.
		{"name missing", auth(), path, with("name", absent), 400, "ValidationError", "name", "Field required"},
		{"name null", auth(), path, with("name", nil), 400, "ValidationError", "name", "Field required"},
		{"name empty", auth(), path, with("name", ""), 400, "ValidationError", "name", "Field required"},
		{"name not a string", auth(), path, with("name", 5), 400, "ValidationError", "name", "must be a string"},
		{"name too long", auth(), path, with("name", long), 400, "ValidationError", "name", "must be 0 to 255"},
		{"payload missing", auth(), path, with("payload", absent), 400, "ValidationError", "payload", "Field required"},
		{"payload empty", auth(), path, with("payload", ""), 400, "ValidationError", "payload", "Field required"},
		{"payload not base64", auth(), path, with("payload", "not base64!"), 400, "ValidationError", "payload", "must be valid base64"},
		{"payload unpadded", auth(), path, with("payload", "aGk"), 400, "ValidationError", "payload", "must be valid base64"},
		{"payload with newline", auth(), path, with("payload", "aGVs\nbG8="), 400, "ValidationError", "payload", "must be valid base64"},
		{"payload with CR", auth(), path, with("payload", "aGVs\rbG8="), 400, "ValidationError", "payload", "must be valid base64"},
		{"payload with space", auth(), path, with("payload", "aGVs bG8="), 400, "ValidationError", "payload", "must be valid base64"},
		{"payload url alphabet", auth(), path, with("payload", "-_-_"), 400, "ValidationError", "payload", "must be valid base64"},
		{"payload too large", auth(), path, with("payload", strings.Repeat("QUFB", 5001)), 413, "ValidationError", "payload", "at most 20000"},
		{"payload not a string", auth(), path, with("payload", []int{1}), 400, "ValidationError", "payload", "must be a string"},
		{"encoding missing", auth(), path, with("payload_content_encoding", absent), 400, "ValidationError", "payload_content_encoding", "Field required"},
		{"encoding binary", auth(), path, with("payload_content_encoding", "binary"), 400, "ValidationError", "payload_content_encoding", "must be one of base64"},
		{"encoding upper case", auth(), path, with("payload_content_encoding", "BASE64"), 400, "ValidationError", "payload_content_encoding", "must be one of base64"},
		{"content type missing", auth(), path, with("payload_content_type", absent), 400, "ValidationError", "payload_content_type", "Field required"},
		{"content type too long", auth(), path, with("payload_content_type", long), 400, "ValidationError", "payload_content_type", "must be 0 to 255"},
		{"secret type missing", auth(), path, with("secret_type", absent), 400, "ValidationError", "secret_type", "Field required"},
		{"secret type unknown", auth(), path, with("secret_type", "key"), 400, "ValidationError", "secret_type", "must be one of certificate, opaque, passphrase, private, public, symmetric"},
		{"secret type wrong case", auth(), path, with("secret_type", "Opaque"), 400, "ValidationError", "secret_type", "must be one of"},
		// Optional fields.
		{"algorithm too long", auth(), path, with("algorithm", long), 400, "ValidationError", "algorithm", "must be 0 to 255"},
		{"algorithm not a string", auth(), path, with("algorithm", true), 400, "ValidationError", "algorithm", "must be a string"},
		{"mode too long", auth(), path, with("mode", long), 400, "ValidationError", "mode", "must be 0 to 255"},
		{"bit_length zero", auth(), path, with("bit_length", 0), 400, "ValidationError", "bit_length", "from 1 to 32767"},
		{"bit_length negative", auth(), path, with("bit_length", -256), 400, "ValidationError", "bit_length", "from 1 to 32767"},
		{"bit_length over Barbican's", auth(), path, with("bit_length", 32768), 400, "ValidationError", "bit_length", "from 1 to 32767"},
		{"bit_length fraction", auth(), path, with("bit_length", 256.5), 400, "ValidationError", "bit_length", "must be an integer"},
		{"bit_length 256.0", auth(), path, with("bit_length", json.RawMessage("256.0")), 400, "ValidationError", "bit_length", "must be an integer"},
		{"bit_length exponent", auth(), path, with("bit_length", json.RawMessage("2.56e2")), 400, "ValidationError", "bit_length", "must be an integer"},
		{"bit_length string", auth(), path, with("bit_length", "256"), 400, "ValidationError", "bit_length", "must be an integer"},
		{"bit_length bool", auth(), path, with("bit_length", true), 400, "ValidationError", "bit_length", "must be an integer"},
		{"bit_length huge", auth(), path, with("bit_length", json.RawMessage("99999999999999999999")), 400, "ValidationError", "bit_length", "must be an integer"},
		{"expiration not a date", auth(), path, with("expiration", "tomorrow"), 400, "ValidationError", "expiration", "ISO-8601"},
		{"expiration not a string", auth(), path, with("expiration", 1893456000), 400, "ValidationError", "expiration", "must be a string"},
		{"expiration in the past", auth(), path, with("expiration", "2029-12-31T00:00:00"), 400, "ValidationError", "expiration", "must be in the future"},
		{"expiration now", auth(), path, with("expiration", "2030-01-02T03:04:05"), 400, "ValidationError", "expiration", "must be in the future"},
		{"expiration past with zone", auth(), path, with("expiration", "2030-01-02T05:00:00+02:00"), 400, "ValidationError", "expiration", "must be in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(e.h, "POST", tt.path, tt.header, tt.body)
			checkRefused(t, e, w, tt.wantStatus, tt.wantClass, tt.wantField, tt.wantMsg)
			if strings.Contains(w.Body.String(), gcoretest.TokenAll) {
				t.Errorf("body echoes the token: %s", w.Body)
			}
		})
	}
}

// TestEveryBadFieldIsNamed: one request breaking every field rule lists them all.
func TestEveryBadFieldIsNamed(t *testing.T) {
	e := newEnv(t)
	body := `{"name":5,"payload":"%%%","payload_content_encoding":"hex","payload_content_type":null,
		"secret_type":"key","algorithm":1,"bit_length":"x","expiration":"past","mode":[]}`
	w := gcoretest.Do(e.h, "POST", path, auth(), body)
	got := gcoretest.DecodeError(t, w.Body.Bytes())
	want := []string{"name", "payload", "payload_content_encoding", "payload_content_type",
		"secret_type", "algorithm", "bit_length", "expiration", "mode"}
	if w.Code != 400 || got.ExceptionClass != "ValidationError" || len(got.InvalidFields) != len(want) {
		t.Fatalf("got %d %s %v, want 400 ValidationError naming %v", w.Code, got.ExceptionClass, got.InvalidFields, want)
	}
	for _, f := range want {
		if len(got.InvalidFields[f]) == 0 {
			t.Errorf("invalid_fields lacks %s: %v", f, got.InvalidFields)
		}
	}
	if n := gcoretest.Count(t, e.store); n != 0 {
		t.Fatalf("store holds %d records, want 0", n)
	}
	gcoretest.Golden(t, "error-every-field", w.Body.Bytes())
}

// TestBadMethodWhenMountedAlone: the Lambda hands the row's mux every request; another method
// on the path is Gcore's 405 HTTPError.
func TestBadMethodWhenMountedAlone(t *testing.T) {
	e := newEnv(t)
	h := Row.Serve(e.deps(t))
	w := gcoretest.Do(h, "GET", path, auth(), "")
	got := gcoretest.DecodeError(t, w.Body.Bytes())
	if w.Code != 405 || got.ExceptionClass != "HTTPError" || w.Header().Get("Allow") != "POST" {
		t.Fatalf("got %d %s Allow=%q, want 405 HTTPError Allow=POST", w.Code, got.ExceptionClass, w.Header().Get("Allow"))
	}
	w = gcoretest.Do(h, "POST", "/cloud/v1/secrets/1", auth(), with())
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 404 || got.ExceptionClass != "NotFoundError" {
		t.Fatalf("got %d %s, want 404 NotFoundError", w.Code, got.ExceptionClass)
	}
}

func TestGoldenErrors(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name       string
		header     http.Header
		path, body string
		wantStatus int
	}{
		{"error-no-auth", gcoretest.Header(), path, with(), 401},
		{"error-bad-token", gcoretest.Header("Authorization", "APIKey nope"), path, with(), 401},
		{"error-project-not-granted", auth(), "/cloud/v1/secrets/9/76", with(), 404},
		{"error-payload-too-large", auth(), path, with("payload", strings.Repeat("QUFB", 5001)), 413},
		{"error-malformed", auth(), path, "{", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(e.h, "POST", tt.path, tt.header, tt.body)
			if w.Code != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", w.Code, tt.wantStatus)
			}
			gcoretest.Golden(t, tt.name, w.Body.Bytes())
		})
	}
}

// TestCreate: accepted requests store one secret and one finished task, and nothing in the
// records but the sealed blob depends on the payload.
func TestCreate(t *testing.T) {
	tests := []struct {
		name      string
		header    http.Header
		path      string
		body      string
		wantScope gcore.Scope
		wantAttrs map[string]any
	}{
		{"required fields only", auth(), path, with(), gcore.Scope{Project: 1, Region: 76},
			map[string]any{"name": "AES key", "secret_type": "symmetric", "payload_content_type": "application/octet-stream",
				"status": "ACTIVE", "created": "2030-01-02T03:04:05Z"}},
		{"every field", auth(), path,
			with("algorithm", "aes", "bit_length", 256, "mode", "cbc", "expiration", "2030-12-28T19:14:44.180394", "secret_type", "certificate"),
			gcore.Scope{Project: 1, Region: 76},
			map[string]any{"name": "AES key", "secret_type": "certificate", "payload_content_type": "application/octet-stream",
				"status": "ACTIVE", "created": "2030-01-02T03:04:05Z", "algorithm": "aes", "bit_length": int64(256), "mode": "cbc",
				"expiration": "2030-12-28T19:14:44.180394Z"}},
		{"nulls and unknown fields", auth(), path,
			with("algorithm", nil, "bit_length", nil, "mode", nil, "expiration", nil, "future_field", map[string]int{"x": 1}),
			gcore.Scope{Project: 1, Region: 76},
			map[string]any{"name": "AES key", "secret_type": "symmetric", "payload_content_type": "application/octet-stream",
				"status": "ACTIVE", "created": "2030-01-02T03:04:05Z"}},
		{"docs scheme, no content type", gcoretest.Header("Authorization", "apikey "+gcoretest.TokenAll), path, with(),
			gcore.Scope{Project: 1, Region: 76}, nil},
		{"upper-case scheme, two spaces, charset", gcoretest.Header("Authorization", "APIKEY  "+gcoretest.TokenAll, "Content-Type", "application/json; charset=utf-8"),
			path, with(), gcore.Scope{Project: 1, Region: 76}, nil},
		{"leading zeros in ids", auth(), "/cloud/v1/secrets/02/007", with(), gcore.Scope{Project: 2, Region: 7}, nil},
		{"region-limited token", gcoretest.Header("Authorization", "APIKey "+gcoretest.TokenRegion7), "/cloud/v1/secrets/3/7", with(),
			gcore.Scope{Project: 3, Region: 7}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			w := gcoretest.Do(e.h, "POST", tt.path, tt.header, tt.body)
			if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("got %d %q %s, want 200 application/json", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			task, secret := stored(t, e.store, w.Body.Bytes())
			if n := gcoretest.Count(t, e.store); n != 3 {
				t.Errorf("store holds %d records, want 3 (secret and the task's two copies)", n)
			}
			if task.Scope != tt.wantScope || task.Type != "create_secret" || task.RequestID == "" || !task.Created.Equal(fixedNow) {
				t.Errorf("task: got %+v, want scope %v, create_secret, a request id, created %v", task, tt.wantScope, fixedNow)
			}
			checkSecret(t, e, secret, tt.wantScope)
			for k, want := range tt.wantAttrs {
				if got := secret.Attrs[k]; got != want {
					t.Errorf("attr %s: got %#v, want %#v", k, got, want)
				}
			}
			if tt.wantAttrs != nil && len(secret.Attrs) != len(tt.wantAttrs) {
				t.Errorf("attrs: got %v, want exactly %v", secret.Attrs, tt.wantAttrs)
			}
			if exp := secret.Attrs.String("expiration"); exp != "" {
				// The store keeps ExpiresAt to the millisecond, rounded up.
				want, _ := time.Parse(time.RFC3339Nano, exp)
				if d := secret.ExpiresAt.Sub(want); d < 0 || d >= time.Millisecond {
					t.Errorf("ExpiresAt: got %v, want the expiration %s", secret.ExpiresAt, exp)
				}
			} else if !secret.ExpiresAt.IsZero() {
				t.Errorf("ExpiresAt: got %v, want zero (never)", secret.ExpiresAt)
			}
			if tt.name == "required fields only" {
				gcoretest.Golden(t, "create-response", w.Body.Bytes())
			}
		})
	}
}

// checkSecret asserts the record's identity, that its blob opens to the payload under the
// record's own scope and key, and that the payload appears nowhere else.
func checkSecret(t *testing.T, e env, secret store.Record, s gcore.Scope) {
	t.Helper()
	if secret.Service != "gcore-cloud" || secret.Tenant != s.Tenant() || !secret.CreatedAt.Equal(fixedNow) {
		t.Errorf("secret: got service %q tenant %q created %v", secret.Service, secret.Tenant, secret.CreatedAt)
	}
	scope := seal.Scope{Service: "gcore-cloud", Tenant: s.Tenant()}
	got, err := e.sealer.Open(context.Background(), scope, secret.Ref.AAD(), secret.Sealed)
	if err != nil || !bytes.Equal(got, plaintext) {
		t.Errorf("sealed blob opens to %q, %v; want the payload", got, err)
	}
	if _, err := e.sealer.Open(context.Background(), scope, gcoresecret.Ref(s, "x").AAD(), secret.Sealed); err == nil {
		t.Error("blob opens under another record key")
	}
	if bytes.Contains(secret.Sealed, plaintext) || bytes.Contains(secret.Sealed, []byte(payloadB64)) {
		t.Error("sealed blob holds the plaintext")
	}
	attrs, _ := json.Marshal(secret.Attrs)
	if bytes.Contains(attrs, plaintext) || bytes.Contains(attrs, []byte(payloadB64)) {
		t.Errorf("attrs hold the payload: %s", attrs)
	}
}
