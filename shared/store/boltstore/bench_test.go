package boltstore

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"keyport/shared/handlerbench"
	"keyport/shared/store"
)

// benchRecord is shaped like a real secret record: a ~200-byte sealed blob and a few attrs.
func benchRecord(i int64) store.Record {
	return store.Record{
		Key:       fmt.Sprintf("bench/key/%d", i),
		Service:   "bench",
		Tenant:    "tenant",
		Attrs:     map[string]string{"Name": "bench", "Status": "Enabled"},
		Sealed:    make([]byte, 200),
		CreatedAt: time.Now(),
	}
}

// BenchmarkCreateSerial is one caller: every create pays the batch delay and its own fsync.
func BenchmarkCreateSerial(b *testing.B) {
	s := open(b)
	ctx := context.Background()
	handlerbench.Measure(b, func() {
		for i := range int64(b.N) {
			if err := s.Create(ctx, store.Write{Records: []store.Record{benchRecord(i)}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCreateParallel has many callers, whose creates share transactions and fsyncs.
func BenchmarkCreateParallel(b *testing.B) {
	s := open(b)
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(8) // as handlerbench, so the two cpu-µs/op figures can be subtracted
	handlerbench.Measure(b, func() {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := s.Create(ctx, store.Write{Records: []store.Record{benchRecord(next.Add(1))}}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
