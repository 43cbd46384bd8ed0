package kmsecret

import (
	"testing"
	"unicode/utf8"

	"keyport/shared/fault"
)

func TestDecodeMetadatum(t *testing.T) {
	tests := []struct {
		body, key, value string
		kind             fault.Kind // 0: accepted
	}{
		{`{"key":"Owner","value":"x"}`, "owner", "x", 0},
		{`{"key":"a-b_C9","value":""}`, "a-b_c9", "", 0},
		{`{"key":"","value":"x"}`, "", "x", 0},
		{`{"KEY":"a","value":"x"}`, "", "", fault.Invalid},
		{`{"key":"a.b","value":"x"}`, "", "", fault.Malformed},
		{`{"key":null,"value":"x"}`, "", "", fault.Invalid},
		{`[]`, "", "", fault.Malformed},
		{`null`, "", "", fault.Malformed},
	}
	for _, tt := range tests {
		key, value, err := DecodeMetadatum([]byte(tt.body))
		if tt.kind == 0 && (err != nil || key != tt.key || value != tt.value) || tt.kind != 0 && fault.KindOf(err) != tt.kind {
			t.Errorf("DecodeMetadatum(%s) = %q, %q, %v; want %q, %q, kind %v", tt.body, key, value, err, tt.key, tt.value, tt.kind)
		}
	}
}

// FuzzDecodeMetadata: any body is a client fault or metadata whose keys are URL safe, lower
// case and at most 255 characters, as are the values.
func FuzzDecodeMetadata(f *testing.F) {
	for _, s := range []string{`{"metadata":{"A":"b"}}`, `{"key":"k","value":"v"}`, `{"metadata":null}`, `{"metadata":{"a b":"c"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := DecodeMetadata(body)
		if err == nil {
			for k, v := range m {
				checkMetadatum(t, k, v)
			}
		} else if !fault.IsClient(err) {
			t.Fatalf("DecodeMetadata(%q): internal error %v", body, err)
		}
		k, v, err := DecodeMetadatum(body)
		if err == nil {
			checkMetadatum(t, k, v)
		} else if !fault.IsClient(err) {
			t.Fatalf("DecodeMetadatum(%q): internal error %v", body, err)
		}
	})
}

func checkMetadatum(t *testing.T, k, v string) {
	t.Helper()
	if !metadataKey.MatchString(k) || len(k) > maxMeta || utf8.RuneCountInString(v) > maxMeta {
		t.Fatalf("accepted key %q value of %d characters", k, utf8.RuneCountInString(v))
	}
	for _, c := range k {
		if c >= 'A' && c <= 'Z' {
			t.Fatalf("key %q not lower-cased", k)
		}
	}
}
