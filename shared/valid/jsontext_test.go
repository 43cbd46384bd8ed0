package valid

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"keyport/shared/fault"
)

func TestJSONText(t *testing.T) {
	long := strings.Repeat("k", 70)
	tests := []struct {
		name   string
		body   string
		field  string // "" with ok false: the fault names no field
		reason string // a substring of the reason
		ok     bool
	}{
		{name: "ascii", body: `{"a":"b","c":[1,true,null,{"d":"e"}]}`, ok: true},
		{name: "raw multi-byte", body: `{"name":"sécret 秘密 😀"}`, ok: true},
		{name: "surrogate pair", body: `{"name":"\ud83d\ude00"}`, ok: true},
		{name: "surrogate pair upper case", body: `{"name":"\uD83D\uDE00x"}`, ok: true},
		{name: "escaped U+FFFD", body: `{"name":"\ufffd"}`, ok: true},
		{name: "raw U+FFFD", body: "{\"name\":\"\xef\xbf\xbd\"}", ok: true},
		{name: "escaped backslash before u", body: `{"name":"\\ud800"}`, ok: true},
		{name: "not JSON but valid text", body: `{"name":`, ok: true},
		{name: "bad hex left to the decoder", body: `{"name":"\uZZZZ"}`, ok: true},

		{name: "invalid byte", body: "{\"secretData\":\"a\xffb\"}", field: "secretData", reason: "UTF-8"},
		{name: "truncated sequence", body: "{\"secretData\":\"\xc3\"}", field: "secretData", reason: "UTF-8"},
		{name: "overlong encoding", body: "{\"secretData\":\"\xc0\xaf\"}", field: "secretData", reason: "UTF-8"},
		{name: "UTF-8 encoded surrogate", body: "{\"secretData\":\"\xed\xa0\x80\"}", field: "secretData", reason: "UTF-8"},
		{name: "lone high surrogate", body: `{"SecretName":"\ud800"}`, field: "SecretName", reason: "surrogate"},
		{name: "lone low surrogate", body: `{"SecretName":"\udc00"}`, field: "SecretName", reason: "surrogate"},
		{name: "high then non-low escape", body: `{"SecretName":"\ud800\u0041"}`, field: "SecretName", reason: "surrogate"},
		{name: "high then high", body: `{"SecretName":"\ud800\ud800\udc00"}`, field: "SecretName", reason: "surrogate"},
		{name: "high then text", body: `{"SecretName":"\ud83dx"}`, field: "SecretName", reason: "surrogate"},
		{name: "high at end of string", body: `{"SecretName":"x\ud83d"}`, field: "SecretName", reason: "surrogate"},
		{name: "high then other escape", body: `{"SecretName":"\ud83d\n"}`, field: "SecretName", reason: "surrogate"},
		{name: "low then high", body: `{"SecretName":"\ude00\ud83d"}`, field: "SecretName", reason: "surrogate"},
		{name: "nested object", body: "{\"name\":\"a\",\"kmsConfig\":{\"kmsInstanceId\":\"k\",\"kmsKeyId\":\"\xff\"}}", field: "kmsConfig.kmsKeyId", reason: "UTF-8"},
		{name: "after a closed object", body: "{\"kmsConfig\":{\"kmsKeyId\":\"k\"},\"secretData\":\"\xff\"}", field: "secretData", reason: "UTF-8"},
		{name: "array element", body: `{"Tags":[{"Key":"a","Value":"b"},{"Key":"c","Value":"\udc00"}]}`, field: "Tags.1.Value", reason: "surrogate"},
		{name: "array of strings", body: "{\"a\":[\"x\",\"y\",\"\xfe\"]}", field: "a.2", reason: "UTF-8"},
		{name: "escaped member name on the path", body: "{\"secret\\u0044ata\":\"\xff\"}", field: "secretData", reason: "UTF-8"},
		{name: "long path clipped", body: "{\"" + long + "\":\"\xff\"}", field: strings.Repeat("k", 64) + "…", reason: "UTF-8"},
		{name: "bad member name nested", body: "{\"kmsConfig\":{\"k\xff\":\"v\"}}", field: "kmsConfig", reason: "member names"},
		{name: "bad member name at top", body: "{\"na\xffme\":\"v\"}", reason: "member names"},
		{name: "surrogate in member name", body: `{"\ud800":"v"}`, reason: "member name holding"},
		{name: "bad byte outside strings", body: "{\"a\":1}\xff", reason: "byte offset 7"},
		{name: "top-level string", body: "\"\xff\"", reason: "byte offset 1"},
		{name: "unterminated string", body: "{\"payload\":\"abc\xff", field: "payload", reason: "UTF-8"},
		{name: "bad byte after backslash", body: "{\"payload\":\"\\\xff\"}", field: "payload", reason: "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := JSONText([]byte(tt.body))
			if tt.ok {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var f *fault.Error
			if !errors.As(err, &f) || f.Kind != fault.Invalid {
				t.Fatalf("got %v, want an Invalid fault", err)
			}
			if f.Field != tt.field {
				t.Errorf("got field %q, want %q", f.Field, tt.field)
			}
			if !strings.Contains(f.Reason, tt.reason) {
				t.Errorf("got reason %q, want it to mention %q", f.Reason, tt.reason)
			}
		})
	}
}

func TestJSONTextDeepNesting(t *testing.T) {
	body := strings.Repeat("[", maxFrames+5) + "\"\xff\"" + strings.Repeat("]", maxFrames+5)
	if JSONText([]byte(body)) == nil {
		t.Fatal("got nil, want a fault past the tracked depth")
	}
	body = `{"a":` + strings.Repeat("[", maxFrames+5) + strings.Repeat("]", maxFrames+5) + ",\"b\":\"\\udc00\"}"
	err := JSONText([]byte(body))
	if f := fault.As(err); err == nil || f.Field != "b" {
		t.Fatalf("got %v, want a fault naming b once the deep array closed", err)
	}
}

// FuzzJSONText checks scanText against a reference built from other parts: utf8.Valid over the
// whole body, and for a valid JSON text every string token (found by encoding/json's tokenizer)
// decoded into UTF-16 code units and checked for pairing with unicode/utf16.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{
		`{"a":"b"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\ud800"}`, `{"a":"\udc00"}`, `{"a":"\ud800\u0041"}`,
		"{\"a\":\"\xff\"}", `{"a":[{"b":"c"},"\ud800x"]}`, "{\"k\xff\":1}", `{"\udc00":1}`,
		"[\"\xed\xa0\x80\"]", `"\\ud800"`, `{"a":{"b":{"c":["\ud83d\ude00","\ud83d"]}}}`,
		`{"secretData":"apikey","kmsConfig":{"kmsKeyId":"key-1"}}`, "{\"a\":\"\\\xc3\xa9\"}",
		`{"":{"":["\ud800"]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := scanText(body)
		if (got == nil) != (JSONText(body) == nil) {
			t.Fatalf("%q: scanText and JSONText disagree", body)
		}
		if !utf8.Valid(body) && got == nil {
			t.Fatalf("%q: body is not UTF-8, scanText found nothing", body)
		}
		if !json.Valid(body) {
			return
		}
		want, ok := reference(body)
		if !ok {
			t.Fatalf("%q: the reference could not tokenize a valid JSON text", body)
		}
		switch {
		case want == nil && got != nil:
			t.Fatalf("%q: got fault %+v, want none", body, got)
		case want != nil && got == nil:
			t.Fatalf("%q: got no fault, want one in the string at %d-%d", body, want.start, want.end)
		case want == nil:
			return
		}
		if got.offset < want.start || got.offset >= want.end {
			t.Errorf("%q: got offset %d, want it in the string at %d-%d", body, got.offset, want.start, want.end)
		}
		if got.inKey != want.inKey || got.path != want.path {
			t.Errorf("%q: got inKey %v path %q, want %v %q", body, got.inKey, got.path, want.inKey, want.path)
		}
		if want.onlyUTF8 && got.surrogate || want.onlySurrogate && !got.surrogate {
			t.Errorf("%q: got surrogate %v for a string with utf8 bad=%v surrogate bad=%v",
				body, got.surrogate, want.onlyUTF8, want.onlySurrogate)
		}
	})
}

// refFault is the first string token of a JSON text that is not Unicode.
type refFault struct {
	start, end              int // the raw token, quotes included
	path                    string
	inKey                   bool
	onlyUTF8, onlySurrogate bool // which of the two checks it fails, when only one does
}

// reference walks a valid JSON text with encoding/json's tokenizer, tracking member paths, and
// returns the first string token that is not UTF-8 or not well-paired UTF-16 once unescaped.
func reference(body []byte) (*refFault, bool) {
	type rframe struct {
		object, wantKey bool
		key             string
		index           int
	}
	var stack []rframe
	path := func(frames []rframe) string {
		parts := make([]string, len(frames))
		for i, f := range frames {
			parts[i] = f.key
			if !f.object {
				parts[i] = strconv.Itoa(f.index)
			}
		}
		return strings.Join(parts, ".")
	}
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	prev := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil, true
		}
		if err != nil {
			return nil, false
		}
		end := int(dec.InputOffset())
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				stack = append(stack, rframe{object: v == '{', wantKey: v == '{'})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			start := prev + len(body[prev:end]) - len(bytes.TrimLeft(body[prev:end], " \t\r\n,:"))
			raw := body[start:end]
			isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].wantKey
			utf8OK, pairsOK := utf8.Valid(raw), pairedUTF16(raw[1:len(raw)-1])
			if !utf8OK || !pairsOK {
				r := &refFault{start: start, end: end, inKey: isKey, onlyUTF8: pairsOK, onlySurrogate: utf8OK}
				if isKey {
					r.path = path(stack[:len(stack)-1])
				} else {
					r.path = path(stack)
				}
				return r, true
			}
			if isKey {
				stack[len(stack)-1].key, stack[len(stack)-1].wantKey = v, false
			} else {
				valueDone()
			}
		default:
			valueDone()
		}
		prev = end
	}
}

// pairedUTF16 unescapes a JSON string's contents into UTF-16 code units and reports whether
// every surrogate among them is half of a high-low pair. Raw runes are encoded as UTF-16 too,
// so an escaped high surrogate followed by a raw character is caught as well.
func pairedUTF16(s []byte) bool {
	var units []uint16
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			r, n := utf8.DecodeRune(s[i:])
			units = utf16.AppendRune(units, r)
			i += n
			continue
		}
		if s[i+1] == 'u' {
			n, _ := strconv.ParseUint(string(s[i+2:i+6]), 16, 16)
			units = append(units, uint16(n))
			i += 6
			continue
		}
		units = append(units, uint16(s[i+1]))
		i += 2
	}
	for i := 0; i < len(units); i++ {
		if !utf16.IsSurrogate(rune(units[i])) {
			continue
		}
		if i+1 < len(units) && utf16.DecodeRune(rune(units[i]), rune(units[i+1])) != unicode.ReplacementChar {
			i++
			continue
		}
		return false
	}
	return true
}
