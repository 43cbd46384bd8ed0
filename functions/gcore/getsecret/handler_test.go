package getsecret

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/store"
	"keyport/shared/testkit"
)

func TestGet(t *testing.T) {
	_, h := seed(t)
	tests := []struct {
		name, token, path, golden string
		want                      map[string]any
	}{
		{"every field", gcoretest.TokenAll, "/cloud/v1/secrets/1/76/" + idP1R76, "secret", map[string]any{
			"id": idP1R76, "name": "AES key", "secret_type": "symmetric", "status": "ACTIVE", "algorithm": "aes",
			"bit_length": float64(256), "mode": "cbc", "created": "2030-01-02T03:04:05+00:00", "expiration": "2099-12-28T19:14:44+00:00",
			"content_types": map[string]any{"default": "application/octet-stream"}}},
		{"required fields only", gcoretest.TokenAll, "/cloud/v1/secrets/1/76/" + idP1R76b, "secret-minimal", map[string]any{
			"id": idP1R76b, "name": "n", "secret_type": "opaque", "status": "ACTIVE", "algorithm": nil,
			"bit_length": nil, "mode": nil, "created": "2030-01-02T03:04:05+00:00", "expiration": nil,
			"content_types": map[string]any{"default": "text/plain"}}},
		{"upper-case id, leading zeros", gcoretest.TokenAll, "/cloud/v1/secrets/01/076/" + strings.ToUpper(idP1R76b), "", map[string]any{"id": idP1R76b}},
		{"region-limited token", gcoretest.TokenRegion7, "/cloud/v1/secrets/3/7/" + idP3R7, "", map[string]any{"id": idP3R7, "name": "p3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(h, "GET", tt.path, gcoretest.APIKey(tt.token), "")
			if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("got %d %q %s, want 200 application/json", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			var got map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range tt.want {
				g, _ := json.Marshal(got[k])
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Errorf("%s: got %s, want %s", k, g, w)
				}
			}
			if _, ok := got["payload"]; ok {
				t.Errorf("the Secret object carries a payload: %s", w.Body)
			}
			if tt.golden != "" {
				gcoretest.Golden(t, tt.golden, w.Body.Bytes())
			}
		})
	}
}

// TestTimesParseAsGcoreClientsParse: GC-labs parses secret times with exactly this layout and
// fails on a time without a zone.
func TestTimesParseAsGcoreClientsParse(t *testing.T) {
	_, h := seed(t)
	w := gcoretest.Do(h, "GET", "/cloud/v1/secrets/1/76/"+idP1R76, gcoretest.APIKey(gcoretest.TokenAll), "")
	var got struct{ Created, Expiration string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{got.Created, got.Expiration} {
		if _, err := time.Parse("2006-01-02T15:04:05-07:00", v); err != nil {
			t.Errorf("%q does not parse as GC-labs parses it: %v", v, err)
		}
	}
}

func TestRefusals(t *testing.T) {
	_, h := seed(t)
	tests := []struct {
		name       string
		header     http.Header
		path       string
		wantStatus int
		wantClass  string
		wantMsg    string
	}{
		{"no Authorization", nil, "/cloud/v1/secrets/1/76/" + idP1R76, 401, "NotAuthenticated", "Authentication credentials were not provided."},
		{"Bearer scheme", gcoretest.Header("Authorization", "Bearer "+gcoretest.TokenAll), "/cloud/v1/secrets/1/76/" + idP1R76, 401, "AuthenticationFailed", "Invalid token header"},
		{"wrong token", gcoretest.APIKey("nope"), "/cloud/v1/secrets/1/76/" + idP1R76, 401, "AuthenticationFailed", "Bad permanent token."},
		{"unknown id", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76/" + unknownID, 404, "NotFoundError", "Secret " + unknownID + " could not be found"},
		{"another region of the project", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/77/" + idP1R76, 404, "NotFoundError", "Secret " + idP1R76 + " could not be found"},
		{"another project the key reaches", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/2/76/" + idP1R76, 404, "NotFoundError", "Secret " + idP1R76 + " could not be found"},
		{"a project the key does not reach", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/3/7/" + idP3R7, 404, "NotFoundError", "Project 3 could not be found"},
		{"a region the key does not reach", gcoretest.APIKey(gcoretest.TokenRegion7), "/cloud/v1/secrets/3/8/" + idP3R7, 404, "NotFoundError", "Region 8 could not be found"},
		{"malformed id", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76/not-a-uuid", 404, "NotFoundError", "Secret could not be found"},
		{"id in braces", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76/%7B" + idP1R76 + "%7D", 404, "NotFoundError", "Secret could not be found"},
		{"id without hyphens", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76/" + strings.ReplaceAll(idP1R76, "-", ""), 404, "NotFoundError", "Secret could not be found"},
		{"project not a number", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/x/76/" + idP1R76, 404, "NotFoundError", "Not found."},
		{"region zero", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/0/" + idP1R76, 404, "NotFoundError", "Not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(h, "GET", tt.path, tt.header, "")
			got := gcoretest.DecodeError(t, w.Body.Bytes())
			if w.Code != tt.wantStatus || got.ExceptionClass != tt.wantClass || !strings.Contains(got.Message, tt.wantMsg) {
				t.Fatalf("got %d %s %q, want %d %s %q", w.Code, got.ExceptionClass, got.Message, tt.wantStatus, tt.wantClass, tt.wantMsg)
			}
		})
	}
}

// TestOtherTenantLooksUnknown: a secret of another project or region is answered exactly as an
// id that exists nowhere (only the id in the message differs, and it is the caller's own).
func TestOtherTenantLooksUnknown(t *testing.T) {
	_, h := seed(t)
	norm := func(path, id string) (int, string) {
		w := gcoretest.Do(h, "GET", path, gcoretest.APIKey(gcoretest.TokenAll), "")
		return w.Code, strings.ReplaceAll(string(gcoretest.Normalize(t, w.Body.Bytes())), id, "")
	}
	wantCode, want := norm("/cloud/v1/secrets/2/76/"+unknownID, unknownID)
	for _, path := range []string{"/cloud/v1/secrets/2/76/" + idP1R76, "/cloud/v1/secrets/1/77/" + idP1R76, "/cloud/v1/secrets/1/76/" + idP2R76} {
		id := path[len(path)-36:]
		if code, got := norm(path, id); code != wantCode || got != want {
			t.Errorf("%s: got %d %s, want %d %s", path, code, got, wantCode, want)
		}
	}
}

// TestExpiredIsGone: once its expiration passes, a secret is not found.
func TestExpiredIsGone(t *testing.T) {
	s, h := seed(t)
	id := "f6a7b8c9-d0e1-4f2a-9b4c-5d6e7f8091a2"
	put(t, s, gcoresecret.Secret{ID: id, Name: "short", SecretType: "opaque", PayloadContentType: "text/plain", Created: time.Now(),
		Expiration: time.Now().Add(300 * time.Millisecond)}.Record(gcore.Scope{Project: 1, Region: 76}))
	path := "/cloud/v1/secrets/1/76/" + id
	if w := gcoretest.Do(h, "GET", path, gcoretest.APIKey(gcoretest.TokenAll), ""); w.Code != 200 {
		t.Fatalf("before expiry: got %d %s, want 200", w.Code, w.Body)
	}
	time.Sleep(400 * time.Millisecond)
	w := gcoretest.Do(h, "GET", path, gcoretest.APIKey(gcoretest.TokenAll), "")
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 404 || got.ExceptionClass != "NotFoundError" {
		t.Fatalf("after expiry: got %d %s, want 404 NotFoundError", w.Code, got.ExceptionClass)
	}
}

func TestGoldenErrors(t *testing.T) {
	_, h := seed(t)
	for name, path := range map[string]string{
		"error-unknown":   "/cloud/v1/secrets/1/76/" + unknownID,
		"error-malformed": "/cloud/v1/secrets/1/76/x",
		"error-project":   "/cloud/v1/secrets/9/76/" + unknownID,
	} {
		t.Run(name, func(t *testing.T) {
			gcoretest.Golden(t, name, gcoretest.Do(h, "GET", path, gcoretest.APIKey(gcoretest.TokenAll), "").Body.Bytes())
		})
	}
}

func TestBadMethodWhenMountedAlone(t *testing.T) {
	s, _ := seed(t)
	h := Row.Serve(operation.Deps{Store: s, Creds: gcoretest.Book(t)})
	w := gcoretest.Do(h, "PATCH", "/cloud/v1/secrets/1/76/"+idP1R76, gcoretest.APIKey(gcoretest.TokenAll), "")
	gcoretest.CheckBadMethod(t, w, "GET")
	// No payload endpoint exists: a path below the secret is not found, in Gcore's envelope.
	w = gcoretest.Do(h, "GET", "/cloud/v1/secrets/1/76/"+idP1R76+"/payload", gcoretest.APIKey(gcoretest.TokenAll), "")
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 404 || got.ExceptionClass != "NotFoundError" {
		t.Fatalf("payload path: got %d %s, want 404 NotFoundError", w.Code, got.ExceptionClass)
	}
}

func TestServerFaults(t *testing.T) {
	tests := []struct {
		name  string
		store gcoretest.BrokenGetter
	}{
		{"store fails", gcoretest.BrokenGetter{Err: testkit.ErrInjected}},
		{"store error wrapping not-found text", gcoretest.BrokenGetter{Err: errWrapped}},
		{"unreadable record", gcoretest.BrokenGetter{Rec: store.Record{Attrs: store.Attrs{"name": "x"}}}},
		{"unreadable expiration", gcoretest.BrokenGetter{Rec: func() store.Record {
			r := full.Record(gcore.Scope{Project: 1, Region: 76})
			r.Attrs["expiration"] = "soon"
			return r
		}()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := gcoretest.Serve(operation.Deps{Store: tt.store, Creds: gcoretest.Book(t)}, Row)
			w := gcoretest.Do(h, "GET", "/cloud/v1/secrets/1/76/"+idP1R76, gcoretest.APIKey(gcoretest.TokenAll), "")
			got := gcoretest.CheckInternal(t, w)
			if regexp.MustCompile(`store|record|soon|10\.0\.0\.1`).MatchString(got.Message) {
				t.Errorf("message %q echoes the cause", got.Message)
			}
		})
	}
}

// TestStoreTimeout: a store call that ran out of time is the server's 503, which says the
// outcome is unknown, never a 500 or a client status (the store's error is kinded, not
// flattened, so the deadline it carries is still seen).
func TestStoreTimeout(t *testing.T) {
	h := gcoretest.Serve(operation.Deps{Store: gcoretest.BrokenGetter{Err: fmt.Errorf("dynamodb: %w", context.DeadlineExceeded)}, Creds: gcoretest.Book(t)}, Row)
	w := gcoretest.Do(h, "GET", "/cloud/v1/secrets/1/76/"+idP1R76, gcoretest.APIKey(gcoretest.TokenAll), "")
	if got := gcoretest.DecodeError(t, w.Body.Bytes()); w.Code != 503 || got.ExceptionClass != "ServiceUnavailable" || strings.Contains(got.Message, "dynamodb") {
		t.Fatalf("got %d %s %q, want 503 ServiceUnavailable without the cause", w.Code, got.ExceptionClass, got.Message)
	}
}

// errWrapped is a driver error that is not store.ErrNotFound, whatever its text says.
var errWrapped = &textError{"store: not found (but not ErrNotFound)"}

type textError struct{ s string }

func (e *textError) Error() string { return e.s }
