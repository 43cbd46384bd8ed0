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

// benchTx is shaped like a real create: a record with a ~200-byte sealed blob, a few attrs and
// a name claim, and a quota increment.
func benchTx(i int64) store.Tx { return benchTxOf("key", i) }

// An indexed kind, to measure what the indexes add to a create.
var _ = store.DeclareIndex("bench", "listed")

func benchTxOf(kind string, i int64) store.Tx {
	id := fmt.Sprint(i)
	return store.Tx{
		{Put: &store.Put{Record: store.Record{
			Ref:       store.Ref{Service: "bench", Tenant: "tenant", Kind: kind, ID: id},
			Attrs:     store.Attrs{"Name": "bench", "Status": "Enabled", "Created": i},
			Sealed:    make([]byte, 200),
			Claims:    []store.Ref{{Service: "bench", Tenant: "tenant", Kind: "name", ID: id}},
			CreatedAt: time.Now(),
		}}},
		{Count: &store.Count{Ref: store.Ref{Service: "bench", Tenant: fmt.Sprint(i % 64), Kind: "counter", ID: "keys"}, Delta: 1, Limit: 1 << 40}},
	}
}

// BenchmarkCreateSerial is one caller: every create pays its own commit and fsync.
func BenchmarkCreateSerial(b *testing.B) {
	s := open(b)
	ctx := context.Background()
	handlerbench.Measure(b, func() {
		for i := range int64(b.N) {
			if err := s.Apply(ctx, benchTx(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCreateParallel has many callers, whose creates share transactions and fsyncs.
func BenchmarkCreateParallel(b *testing.B) { benchCreateParallel(b, "key") }

// BenchmarkCreateParallelIndexed is BenchmarkCreateParallel on an indexed kind.
func BenchmarkCreateParallelIndexed(b *testing.B) { benchCreateParallel(b, "listed") }

// An indexed kind with an attribute index on Name, to measure what that index adds.
var _ = store.DeclareAttrIndex("bench", "named", "Name")

// BenchmarkCreateParallelAttrIndexed is BenchmarkCreateParallelIndexed on a kind that also has
// an attribute index.
func BenchmarkCreateParallelAttrIndexed(b *testing.B) { benchCreateParallel(b, "named") }

func benchCreateParallel(b *testing.B, kind string) {
	s := open(b)
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(8) // as handlerbench, so the two cpu-µs/op figures can be subtracted
	handlerbench.Measure(b, func() {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := s.Apply(ctx, benchTxOf(kind, next.Add(1))); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
