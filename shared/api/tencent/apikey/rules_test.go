package apikey

import (
	"strings"
	"testing"

	"keyport/shared/fault"
)

// TestCheckSecretName: one rule for blank and invisible characters. A name that is only white
// space is refused, and so is any control (Cc), format (Cf) or line or paragraph separator
// (Zl, Zp) character anywhere; white space between or around visible characters is kept.
func TestCheckSecretName(t *testing.T) {
	tests := []struct {
		name, value string
		want        fault.Kind // 0: accepted
		reason      string
	}{
		{"empty", "", fault.Missing, "required"},
		{"a space", " ", fault.Invalid, "blank"},
		{"spaces", "   ", fault.Invalid, "blank"},
		{"U+3000 ideographic space", "\u3000", fault.Invalid, "blank"},
		{"U+00A0 no-break space", "\u00a0", fault.Invalid, "blank"},
		{"U+2003 em space", "\u2003\u2003", fault.Invalid, "blank"},
		{"U+2028 line separator", "\u2028", fault.Invalid, "invisible"},
		{"U+2028 inside", "a\u2028b", fault.Invalid, "invisible"},
		{"U+2029 paragraph separator inside", "a\u2029b", fault.Invalid, "invisible"},
		{"U+200B zero-width space", "\u200b", fault.Invalid, "invisible"},
		{"U+200B inside", "a\u200bb", fault.Invalid, "invisible"},
		{"U+200D zero-width joiner", "a\u200db", fault.Invalid, "invisible"},
		{"U+FEFF byte order mark", "\ufeffname", fault.Invalid, "invisible"},
		{"U+202E right-to-left override", "a\u202eb", fault.Invalid, "invisible"},
		{"U+00AD soft hyphen", "a\u00adb", fault.Invalid, "invisible"},
		{"a tab", "\t", fault.Invalid, "invisible"},
		{"a tab inside", "a\tb", fault.Invalid, "invisible"},
		{"a line feed inside", "a\nb", fault.Invalid, "invisible"},
		{"U+0085 next line", "a\u0085b", fault.Invalid, "invisible"},
		{"NUL", "a\x00", fault.Invalid, "invisible"},
		{"61 characters", strings.Repeat("n", 61), fault.Invalid, "60"},
		{"a name", "test", 0, ""},
		{"inner spaces", "my key", 0, ""},
		{"outer spaces", " n ", 0, ""},
		{"U+3000 and U+00A0 inside", "密\u3000钥\u00a0n", 0, ""},
		{"60 non-ASCII characters", strings.Repeat("密", 60), 0, ""},
		{"emoji", "key 😀", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSecretName(tt.value)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("got %v, want the name accepted", err)
				}
				return
			}
			f := fault.As(err)
			if err == nil || f.Kind != tt.want || f.Field != "SecretName" || f.Code != "" || !strings.Contains(f.Reason, tt.reason) {
				t.Fatalf("got %v (kind %v field %q code %q), want a %v fault naming SecretName, no code of its own, saying %q", err, f.Kind, f.Field, f.Code, tt.want, tt.reason)
			}
		})
	}
}
