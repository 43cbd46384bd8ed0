package gettask

import (
	"strings"
	"testing"
)

// FuzzCanonicalID: the task-id parser never panics and accepts only the canonical form.
func FuzzCanonicalID(f *testing.F) {
	for _, s := range []string{taskP1, strings.ToUpper(taskP1), "", "x", "{" + taskP1 + "}", strings.ReplaceAll(taskP1, "-", "")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := canonicalID(s)
		if ok && (id != strings.ToLower(s) || len(id) != 36) {
			t.Fatalf("accepted %q as %q", s, id)
		}
	})
}
