package valid

import (
	"testing"
	"time"

	"keyport/shared/fault"
)

func TestRules(t *testing.T) {
	tests := []struct {
		name string
		err  error
		kind fault.Kind // Internal here means "no error expected"
	}{
		{"required ok", Required("F", "x"), fault.Internal},
		{"required empty", Required("F", ""), fault.Missing},
		{"length ok", Length("F", "abcde", 5, 50), fault.Internal},
		{"length short", Length("F", "abcd", 5, 50), fault.Invalid},
		{"length long", Length("F", string(make([]byte, 51)), 5, 50), fault.Invalid},
		{"length counts runes", Length("F", "ééééé", 5, 5), fault.Internal},
		{"word ok", Word("F", "Ab_09"), fault.Internal},
		{"word dash", Word("F", "a-b"), fault.Invalid},
		{"word non-ascii", Word("F", "é"), fault.Invalid},
		{"word of length", WordOfLength("F", "ab", 5, 50), fault.Invalid},
		{"printable ok", Printable("F", "key 1!~"), fault.Internal},
		{"printable control", Printable("F", "a\tb"), fault.Invalid},
		{"printable wide", Printable("F", "ａ"), fault.Invalid},
		{"one of ok", OneOf("F", "auto", "auto", "manual"), fault.Internal},
		{"one of case", OneOf("F", "Auto", "auto", "manual"), fault.Invalid},
		{"future ok", Future("F", time.Unix(2, 0), time.Unix(1, 0)), fault.Internal},
		{"future equal", Future("F", time.Unix(1, 0), time.Unix(1, 0)), fault.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.kind == fault.Internal {
				if tt.err != nil {
					t.Fatalf("got %v, want nil", tt.err)
				}
				return
			}
			f := fault.As(tt.err)
			if tt.err == nil || f.Kind != tt.kind || f.Field != "F" {
				t.Fatalf("got %#v, want kind %v on field F", tt.err, tt.kind)
			}
		})
	}
}

func TestBase64(t *testing.T) {
	tests := []struct {
		in      string
		min     int
		max     int
		wantLen int // -1: refused
	}{
		{"aGk=", 1, 10, 2},
		{"aGk", 1, 10, -1},       // unpadded
		{"aG\nk=", 1, 10, -1},    // line break (encoding/base64 would skip it)
		{"aG\rk=", 1, 10, -1},    // carriage return
		{"aG-k", 1, 10, -1},      // URL alphabet
		{"aGk=", 3, 10, -1},      // too short once decoded
		{"", 0, 10, 0},           // empty decodes to nothing
		{"YWJjZA==", 4, 4, 4},    // exact size
		{"YWJjZA===", 1, 10, -1}, // extra padding
	}
	for _, tt := range tests {
		b, err := Base64OfSize("K", tt.in, tt.min, tt.max)
		if tt.wantLen < 0 {
			if err == nil || fault.As(err).Field != "K" {
				t.Errorf("Base64OfSize(%q) = %v, %v; want a fault on K", tt.in, b, err)
			}
			continue
		}
		if err != nil || len(b) != tt.wantLen {
			t.Errorf("Base64OfSize(%q) = %d bytes, %v; want %d bytes", tt.in, len(b), err, tt.wantLen)
		}
	}
}

func TestDatetime(t *testing.T) {
	want := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, in := range []string{"2030-01-02T03:04:05", "2030-01-02T03:04:05Z", "2030-01-02T05:04:05+02:00", "2030-01-02 03:04:05"} {
		got, err := Datetime("E", in)
		if err != nil || !got.Equal(want) {
			t.Errorf("Datetime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, err := Datetime("E", "2025-12-28T19:14:44.180394"); err != nil || got.Nanosecond() != 180394000 {
		t.Errorf("fractional seconds: got %v, %v", got, err)
	}
	for _, bad := range []string{"", "tomorrow", "2030-13-01T00:00:00", "2030-01-02"} {
		if _, err := Datetime("E", bad); err == nil || fault.As(err).Field != "E" {
			t.Errorf("Datetime(%q) accepted", bad)
		}
	}
}
