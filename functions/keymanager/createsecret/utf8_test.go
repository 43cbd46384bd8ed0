package createsecret

import (
	"testing"
	"time"
)

// TestRefusesNonUnicode covers bodies whose text is not Unicode, which encoding/json would
// otherwise have rewritten to U+FFFD before storing: each must be Barbican's 400, name the member
// when there is one (a dotted path inside nested values), and write nothing.
func TestRefusesNonUnicode(t *testing.T) {
	const pem = `-----BEGIN A-----\nQUJD\n-----END A-----`
	for _, tt := range []refusal{
		{name: "utf8_name_invalid_byte", body: "{\"name\":\"k\xff\"}", field: "name", desc: "valid UTF-8"},
		{name: "utf8_name_lone_high_surrogate", body: `{"name":"\ud800"}`, field: "name", desc: "surrogate"},
		{name: "utf8_name_lone_low_surrogate", body: `{"name":"\udc00"}`, field: "name", desc: "surrogate"},
		{name: "utf8_algorithm_high_then_other_escape", body: `{"algorithm":"\ud83d\u0041"}`, field: "algorithm", desc: "surrogate"},
		{name: "utf8_mode_utf8_encoded_surrogate", body: "{\"mode\":\"\xed\xa0\x80\"}", field: "mode", desc: "valid UTF-8"},
		{name: "utf8_payload_content_type", body: `{"payload":"` + pem + `","payload_content_type":"text/plain\udfff"}`, field: "payload_content_type", desc: "surrogate"},
		{name: "utf8_payload", body: "{\"payload\":\"Bag \xc3(\\n" + pem + "\",\"payload_content_type\":\"text/plain\"}", field: "payload", desc: "valid UTF-8"},
		{name: "utf8_unknown_nested_member", body: "{\"extra\":{\"list\":[\"a\",\"\xfe\"]}}", field: "extra.list.1", desc: "valid UTF-8"},
		{name: "utf8_member_name", body: "{\"na\xffme\":\"k\"}", desc: "member names"},
		{name: "utf8_outside_strings", body: "{\"name\":\"k\"}\xff", desc: "byte offset 12"},
	} {
		t.Run(tt.name, tt.check)
	}
}

// TestKeepsUnicodeAsSent checks that what the scan lets through is stored exactly as sent:
// raw multi-byte UTF-8 and an escaped surrogate pair outside the PEM block of a text payload.
func TestKeepsUnicodeAsSent(t *testing.T) {
	e := newEnv(t, func() time.Time { return fixedNow })
	body := `{"payload":"Bag Attributes: é \ud83d\ude00 秘\n-----BEGIN A-----\nQUJD\n-----END A-----","payload_content_type":"text/plain"}`
	rec := e.post(path, "", "", body)
	if rec.Code != 201 {
		t.Fatalf("status: got %d, want 201 (body %s)", rec.Code, rec.Body)
	}
	id := checkCreated(t, rec, "http://example.com"+path+"/")
	want := map[string]string{"name": id, "secret_type": "opaque", "status": "ACTIVE", "payload_content_type": "text/plain",
		"created": "2026-03-04T05:06:07.123456", "updated": "2026-03-04T05:06:07.123456"}
	checkRecord(t, e, id, want, "Bag Attributes: é 😀 秘\n-----BEGIN A-----\nQUJD\n-----END A-----", time.Time{})
}
