// Package localdatatest gives tests a fresh local data directory: a real embedded store and a
// real local key in t.TempDir(), closed when the test ends.
package localdatatest

import (
	"testing"

	"keyport/shared/localdata"
)

// Open opens a fresh data directory for tb.
func Open(tb testing.TB) *localdata.Data {
	tb.Helper()
	d, err := localdata.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = d.Close() })
	return d
}
