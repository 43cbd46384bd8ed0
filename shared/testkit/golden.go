// Package testkit is what keyport's tests share across vendors: golden files refreshed with
// -update, and the counting and failing stand-ins that observe or inject faults around the real
// sealer and store. It is imported by tests only.
package testkit

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the one -update flag of every test binary that compares golden files.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Updating reports whether this run rewrites golden files (-update).
func Updating() bool { return *update }

// Golden compares got with the file at path (conventionally testdata/<name>.json), or writes
// got there under -update. Callers normalise what varies (request ids, generated ids) first.
func Golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("golden %s: %v (run go test -update to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("body differs from %s\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
