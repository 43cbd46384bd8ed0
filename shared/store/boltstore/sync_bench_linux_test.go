package boltstore

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"keyport/shared/handlerbench"
)

// BenchmarkFdatasync is the floor under every durable commit on this machine: what one
// fdatasync costs the process, after overwriting a few bytes of an allocated file (the
// cheapest durable write there is: no allocation, no journal of the file's size) and after
// appending to a growing one (a write-ahead log's pattern). bbolt's commit makes two (data
// pages, then the meta page), so a group of n creates carries 2/n of this each
// (docs/benchmarks.md, "Why the CPU target is not met").
func BenchmarkFdatasync(b *testing.B) {
	for _, c := range []struct {
		name   string
		append bool
	}{{"overwrite", false}, {"append", true}} {
		b.Run(c.name, func(b *testing.B) {
			f, err := os.OpenFile(filepath.Join(b.TempDir(), "f"), os.O_CREATE|os.O_RDWR, 0o600)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			block := make([]byte, 512)
			if !c.append {
				if err := f.Truncate(1 << 20); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
			}
			handlerbench.Measure(b, func() {
				for i := range b.N {
					off := int64(i%2048) * 512
					if c.append {
						off = int64(i) * 512
					}
					if _, err := f.WriteAt(block, off); err != nil {
						b.Fatal(err)
					}
					if err := syscall.Fdatasync(int(f.Fd())); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
