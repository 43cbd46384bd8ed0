package createmultipathgatewaysecretkey

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"keyport/shared/api/tencent/tencenttest"
)

// TestRefusesNonUnicode covers bodies whose text is not Unicode, which encoding/json would have
// turned into U+FFFD: each is InvalidParameterValue (the code this action gives every bad value)
// naming the parameter, with nothing stored or sealed.
func TestRefusesNonUnicode(t *testing.T) {
	for _, tt := range []struct {
		name, body, msg, golden string
	}{
		{"SecretKey lone high surrogate", `{"ZoneId":"zone-27q0p0bal192","SecretKey":"` + docKey[:40] + `\ud800"}`, "SecretKey must not hold an unpaired UTF-16 surrogate escape.", "utf8-secretkey-surrogate"},
		{"SecretKey invalid byte", "{\"ZoneId\":\"zone-27q0p0bal192\",\"SecretKey\":\"\xff" + docKey + "\"}", "SecretKey must be valid UTF-8.", ""},
		{"ZoneId lone low surrogate", `{"ZoneId":"zone-\udc00"}`, "ZoneId must not", "utf8-zoneid-surrogate"},
		{"ZoneId high then non-low escape", `{"ZoneId":"zone-\ud83d\u0041"}`, "ZoneId must not", ""},
		{"ZoneId UTF-8 encoded surrogate", "{\"ZoneId\":\"zone-\xed\xb0\x80\"}", "ZoneId must be valid UTF-8.", ""},
		{"parameter name", `{"ZoneId":"zone-a","\udc00":"x"}`, "member name", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			w, code := e.serve(t, signed(tt.body).HTTP(t))
			if code != "InvalidParameterValue" {
				t.Fatalf("got code %q, want InvalidParameterValue (body %s)", code, w.Body)
			}
			var v struct {
				Response struct{ Error struct{ Message string } }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			if msg := v.Response.Error.Message; !strings.Contains(msg, tt.msg) {
				t.Errorf("got message %q, want it to hold %q", msg, tt.msg)
			}
			if strings.Contains(w.Body.String(), docKey[:20]) {
				t.Errorf("got the SecretKey echoed in %s", w.Body)
			}
			e.AssertEmpty(t)
			e.AssertNotSealed(t)
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(w.Body.Bytes()))
			}
		})
	}
}
