package keymanagertest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// Golden compares body with testdata/<name>.json of the calling test's package, with the
// server's URL replaced by <server> (its host elsewhere by <host>) and UUIDs by <uuid>; -update rewrites the file.
func (e *Env) Golden(tb testing.TB, name string, body []byte) {
	tb.Helper()
	got := bytes.ReplaceAll(bytes.TrimSpace(body), []byte(e.URL), []byte("<server>"))
	got = bytes.ReplaceAll(got, []byte(strings.TrimPrefix(e.URL, "http://")), []byte("<host>"))
	got = append(uuidRE.ReplaceAll(got, []byte("<uuid>")), '\n')
	file := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		tb.Fatalf("golden %s: %v (run with -update)", file, err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("body differs from %s\ngot:  %s\nwant: %s", file, got, want)
	}
}
