package operation_test

import (
	"testing"

	"keyport/shared/operation"
)

func TestCanonical(t *testing.T) {
	for path, want := range map[string]bool{
		"/": true, "/v1/secrets": true, "/v1/secrets/": true, "/v1/secrets/a.b": true, "/v1/..x": true,
		"": false, "v1": false, "//": false, "/v1//secrets": false, "/v1/./secrets": false,
		"/v1/secrets/x/../y": false, "/v1/secrets/..": false, "/v1/secrets/.": false, "/v1/secrets//": false,
	} {
		if got := operation.Canonical(path); got != want {
			t.Errorf("Canonical(%q) = %v, want %v", path, got, want)
		}
	}
}
