package localserver

import (
	"strings"
	"testing"

	"keyport/shared/seal"
)

// TestKeyCacheFlag: -key-cache (or KEYPORT_KEY_CACHE) defaults to seal.DefaultCache, "off"
// turns the cache off, and a bad field is refused by name before the server starts.
func TestKeyCacheFlag(t *testing.T) {
	env := func(v string) func(string) string {
		return func(name string) string {
			if name == "KEYPORT_KEY_CACHE" {
				return v
			}
			return ""
		}
	}
	for _, tt := range []struct {
		args []string
		env  string
		want string
	}{
		{nil, "", seal.DefaultCache.String()},
		{[]string{"-key-cache", "off"}, "", "off"},
		{nil, "off", "off"},
		{[]string{"-key-cache", "seal-uses=10"}, "off", "entries=1000,seal-uses=10,seal-age=5m0s,open-age=5m0s"},
	} {
		cfg, err := parseConfig(tt.args, env(tt.env))
		if err != nil || cfg.keyCache.String() != tt.want {
			t.Errorf("parseConfig(%q, env %q): got %v, %v, want %s", tt.args, tt.env, cfg.keyCache, err, tt.want)
		}
	}
	if _, err := parseConfig([]string{"-key-cache", "seal-age=soon"}, env("")); err == nil || !strings.Contains(err.Error(), "seal-age") {
		t.Errorf("-key-cache seal-age=soon: got %v, want an error naming seal-age", err)
	}
}
