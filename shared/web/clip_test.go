package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"keyport/shared/audit"
)

func TestClip(t *testing.T) {
	long := strings.Repeat("é", 900) // 1800 bytes, two per character
	tests := []struct {
		name, in string
		wantCut  bool
	}{
		{"short kept", "/v1/secrets", false},
		{"at the limit kept", strings.Repeat("a", MaxLogField), false},
		{"long path cut", "/" + strings.Repeat("a", 900000), true},
		{"cut on a character boundary", long, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clip(tt.in)
			if !tt.wantCut {
				if got != tt.in {
					t.Errorf("got %q, want it unchanged", got)
				}
				return
			}
			if len(got) > MaxLogField+32 || !strings.HasSuffix(got, " bytes cut]") || !utf8.ValidString(got) {
				t.Errorf("got %d bytes ending %q, want at most %d + a marker, valid UTF-8", len(got), got[len(got)-20:], MaxLogField)
			}
		})
	}
}

// TestLogLineIsBounded sends what an unauthenticated client can: a 900 KB path and user agent.
// The request's log line must stay bounded and say the values were cut.
func TestLogLineIsBounded(t *testing.T) {
	var logs strings.Builder
	h := Logged(newTestLogger(&logs), audit.NewWriter(&strings.Builder{}), "keyport.unrouted", http.NotFoundHandler())
	r := httptest.NewRequest("GET", "/"+strings.Repeat("p", 900<<10), nil)
	r.Header.Set("User-Agent", strings.Repeat("u", 900<<10))
	h.ServeHTTP(httptest.NewRecorder(), r)
	if n := logs.Len(); n > 2048 {
		t.Errorf("got a %d-byte log line, want at most 2 KiB", n)
	}
	if strings.Count(logs.String(), " bytes cut]") != 2 {
		t.Errorf("got %s, want the path and the user agent marked as cut", logs.String())
	}
}
