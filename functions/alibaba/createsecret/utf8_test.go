package createsecret

import (
	"context"
	"testing"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/credentials"
	"keyport/shared/seal"
)

// TestRefusesNonUnicode covers bodies whose text is not Unicode. encoding/json would turn it
// into U+FFFD, and a secretData other than the one sent would be sealed; instead each is
// InvalidParameter (400, the code every bad field gets) naming the member, with nothing stored
// and no data key spent.
func TestRefusesNonUnicode(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		msg  string // a substring the message must hold (the field it names)
	}{
		{"secretData invalid byte", "{\"name\":\"a\",\"secretData\":\"apikey-123456\xff\"}", "secretData: must be valid UTF-8"},
		{"secretData lone high surrogate", `{"name":"a","secretData":"apikey-123456\ud800"}`, "secretData: must not hold an unpaired UTF-16 surrogate escape"},
		{"secretData lone low surrogate", `{"name":"a","secretData":"\udc00apikey-123456"}`, "secretData: must not"},
		{"secretData high then non-low escape", `{"name":"a","secretData":"\ud83d\u0041"}`, "secretData: must not"},
		{"secretData UTF-8 encoded surrogate", "{\"name\":\"a\",\"secretData\":\"\xed\xa0\x80\"}", "secretData: must be valid UTF-8"},
		{"description truncated sequence", "{\"name\":\"a\",\"secretData\":\"v\",\"description\":\"caf\xc3\"}", "description: must be valid UTF-8"},
		{"name lone surrogate", `{"name":"a\udfff","secretData":"v"}`, "name: must not"},
		{"kmsKeyId nested", "{\"name\":\"a\",\"secretData\":\"v\",\"kmsConfig\":{\"kmsInstanceId\":\"kst-1\",\"kmsKeyId\":\"key-\xfe\"}}", "kmsConfig.kmsKeyId: must be valid UTF-8"},
		{"unknown member", `{"name":"a","secretData":"v","tags":["x","\ud800"]}`, "tags.1: must not"},
		{"member name", "{\"name\":\"a\",\"secretData\":\"v\",\"\xffx\":1}", "member names"},
		{"outside strings", "{\"name\":\"a\",\"secretData\":\"v\"}\xff", "byte offset 29"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := alibabatest.Do(t, e.h, call{body: tc.body}.build()())
			e.checkRefused(t, res, 400, "InvalidParameter", tc.msg)
			alibabatest.Golden(t, "refuse_utf8_"+tc.name, res)
		})
	}
}

// TestSealsUnicodeAsSent checks that text the scan lets through is sealed byte for byte as
// the client meant it: raw multi-byte UTF-8, an escaped surrogate pair and an escaped U+FFFD.
func TestSealsUnicodeAsSent(t *testing.T) {
	e := newEnv(t)
	res := alibabatest.Do(t, e.h, call{body: body(`"secretData":"clé 秘密 😀 \ud83d\ude00 \ufffd"`, `"description":"é"`)}.build()())
	if res.Status != 200 {
		t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
	}
	ref := apigsecret.Ref(credentials.DevAlibabaAccount, res.SecretID())
	rec, err := e.Store.Get(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := e.Sealer.Open(context.Background(), seal.Scope{Service: alibaba.Service, Tenant: credentials.DevAlibabaAccount}, ref.AAD(), rec.Sealed)
	if want := "clé 秘密 😀 😀 \ufffd"; err != nil || string(plain) != want {
		t.Errorf("got %q, %v opening the blob, want %q", plain, err, want)
	}
	if got := rec.Attrs.String("description"); got != "é" {
		t.Errorf("got description %q, want %q", got, "é")
	}
}
