package createsecret

import (
	"encoding/json"
	"strings"
	"testing"

	"keyport/shared/api/gcore/gcoretest"
)

// withRaw is a valid body with field's value replaced by raw, a JSON string literal written as
// bytes. with() cannot carry text that is not Unicode: json.Marshal would repair it.
func withRaw(field, raw string) string {
	return strings.Replace(with(field, "\x00mark"), `"\u0000mark"`, raw, 1)
}

// TestRefusesNonUnicode covers bodies whose text is not Unicode, which encoding/json would have
// turned into U+FFFD: each is 400 ValidationError naming the field in invalid_fields (as every
// bad field is), with nothing stored.
func TestRefusesNonUnicode(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, body string
		wantField  string // "" : no field to name, wantMsg is in the message
		wantMsg    string
		golden     string
	}{
		{"name lone high surrogate", withRaw("name", `"AES \ud800"`), "name", "must not hold an unpaired UTF-16 surrogate escape", "error-utf8-surrogate"},
		{"name lone low surrogate", withRaw("name", `"\udc00"`), "name", "surrogate", ""},
		{"name invalid byte", withRaw("name", "\"AES \xff\""), "name", "must be valid UTF-8", "error-utf8-invalid-byte"},
		{"algorithm high then non-low escape", withRaw("algorithm", `"\ud83d\u0041"`), "algorithm", "surrogate", ""},
		{"mode UTF-8 encoded surrogate", withRaw("mode", "\"\xed\xa0\x80\""), "mode", "must be valid UTF-8", ""},
		{"payload_content_type truncated sequence", withRaw("payload_content_type", "\"application/octet-stream\xe2\x82\""), "payload_content_type", "must be valid UTF-8", ""},
		{"payload lone surrogate", withRaw("payload", `"`+payloadB64+`\udbff"`), "payload", "surrogate", ""},
		{"unknown nested field", withRaw("future_field", "{\"x\":[\"\xfe\"]}"), "future_field.x.0", "must be valid UTF-8", ""},
		{"field name", strings.Replace(with(), `"name"`, "\"na\xffme\"", 1), "", "member names", ""},
		{"outside strings", with() + "\xff", "", "byte offset", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(e.h, "POST", path, auth(), tt.body)
			checkRefused(t, e, w, 400, "ValidationError", tt.wantField, tt.wantMsg)
			if tt.golden != "" {
				gcoretest.Golden(t, tt.golden, w.Body.Bytes())
			}
		})
	}
}

// TestKeepsUnicodeAsSent checks that an escaped surrogate pair and raw multi-byte text are
// stored as the characters sent.
func TestKeepsUnicodeAsSent(t *testing.T) {
	e := newEnv(t)
	w := gcoretest.Do(e.h, "POST", path, auth(), withRaw("name", `"clé \ud83d\ude00 😀"`))
	if w.Code != 200 {
		t.Fatalf("got %d %s, want 200", w.Code, w.Body)
	}
	_, secret := stored(t, e.store, w.Body.Bytes())
	if want := "clé 😀 😀"; secret.Attrs["name"] != want {
		b, _ := json.Marshal(secret.Attrs["name"])
		t.Errorf("name: got %s, want %q", b, want)
	}
}
