package keymanagertest

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"keyport/shared/testkit"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// Golden compares body with testdata/<name>.json of the calling test's package, with the
// server's URL replaced by <server> (its host elsewhere by <host>) and UUIDs by <uuid>; -update rewrites the file.
func (e *Env) Golden(tb testing.TB, name string, body []byte) {
	tb.Helper()
	got := bytes.ReplaceAll(bytes.TrimSpace(body), []byte(e.URL), []byte("<server>"))
	got = bytes.ReplaceAll(got, []byte(strings.TrimPrefix(e.URL, "http://")), []byte("<host>"))
	got = append(uuidRE.ReplaceAll(got, []byte("<uuid>")), '\n')
	testkit.Golden(tb, filepath.Join("testdata", name+".json"), got)
}
