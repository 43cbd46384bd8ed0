package createapikey

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
)

// TestRefusesNonUnicode covers bodies whose text is not Unicode. encoding/json would turn it
// into U+FFFD and SecretName would come back (and be stored) rewritten; instead each is the
// action's validation code, InvalidParameter.FormatError, naming the parameter, with nothing
// stored or sealed.
func TestRefusesNonUnicode(t *testing.T) {
	for _, tt := range []struct {
		name, body, msg, golden string
	}{
		{"SecretName lone high surrogate", `{"SecretName":"\ud800"}`, "SecretName must not hold an unpaired UTF-16 surrogate escape.", "utf8-secretname-surrogate"},
		{"SecretName lone low surrogate", `{"SecretName":"n\udc00"}`, "SecretName must not", ""},
		{"SecretName high then non-low escape", `{"SecretName":"\ud800\u0041"}`, "SecretName must not", ""},
		{"SecretName invalid byte", "{\"SecretName\":\"n\xff\"}", "SecretName must be valid UTF-8.", "utf8-secretname-invalid-byte"},
		{"AccessKeySecret truncated sequence", "{\"SecretName\":\"n\",\"AccessKeyType\":\"manual\",\"AccessKeyId\":\"abcde\",\"AccessKeySecret\":\"abcdefghi\xc3\"}", "AccessKeySecret must be valid UTF-8.", ""},
		{"tag Value", `{"SecretName":"n","Tags":[{"Key":"k","Value":"v"},{"Key":"k2","Value":"\udfff"}]}`, "Tags.1.Value must not", "utf8-tag-value"},
		{"unknown parameter", "{\"SecretName\":\"n\",\"Region\":\"\xfe\"}", "Region must be valid UTF-8.", ""},
		{"parameter name", "{\"Secret\xffName\":\"n\"}", "member names", ""},
		{"outside strings", "{\"SecretName\":\"n\"}\xff", "byte offset 18", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 0)
			w, code := e.serve(t, signed(tt.body).HTTP(t))
			if code != codeFormatError {
				t.Fatalf("got code %q, want %q (body %s)", code, codeFormatError, w.Body)
			}
			if msg := errorMessage(t, w.Body.Bytes()); !strings.Contains(msg, tt.msg) {
				t.Errorf("got message %q, want it to hold %q", msg, tt.msg)
			}
			if strings.ContainsRune(w.Body.String(), '\ufffd') {
				t.Errorf("got U+FFFD in %s", w.Body)
			}
			e.assertNothingStored(t)
			e.AssertNotSealed(t)
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(w.Body.Bytes()))
			}
		})
	}
}

// TestKeepsUnicodeAsSent checks that an escaped surrogate pair and raw multi-byte text in
// SecretName come back as the characters sent.
func TestKeepsUnicodeAsSent(t *testing.T) {
	e := newEnv(t, 0)
	w, code := e.serve(t, signed(`{"SecretName":"密钥 \ud83d\ude00 😀"}`).HTTP(t))
	if code != "" {
		t.Fatalf("got code %q, want success (body %s)", code, w.Body)
	}
	var got struct {
		Response struct{ Result apikey.APIKey }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if want := "密钥 😀 😀"; got.Response.Result.SecretName != want {
		t.Errorf("got SecretName %q, want %q", got.Response.Result.SecretName, want)
	}
}

// errorMessage is Response.Error.Message of a Tencent error body.
func errorMessage(t *testing.T, body []byte) string {
	t.Helper()
	var v struct {
		Response struct{ Error struct{ Message string } }
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	return v.Response.Error.Message
}
