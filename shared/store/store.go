// Package store defines keyport's durable record model: the portable types every storage driver
// (boltstore for `make run`, dynamostore for AWS) accepts, and the rules they all enforce.
//
// A create is one Write: a set of records that must all be absent, plus an optional counter
// that must stay under its limit. A driver applies a Write atomically or not at all, which is how
// uniqueness (one key per zone, unique AccessKeyId) and quotas (500 keys per account) hold under
// concurrent requests. Records past ExpiresAt are treated as absent by every reader and by the
// absence check, because backends delete expired items lazily.
package store

import (
	"context"
	"time"
)

// Record is one stored item. Sealed holds an envelope blob from package seal (never plaintext);
// records that only claim a unique key (a name, a nonce) have no Sealed value.
type Record struct {
	Key       string            // unique within the store, e.g. "tencent/apigateway/key/AKID…"
	Service   string            // which API wrote it, e.g. "tencent-apigateway"
	Tenant    string            // account, project or tenant the record belongs to
	Attrs     map[string]string // non-secret metadata, returned as stored
	Sealed    []byte            // envelope-encrypted secret value, or nil
	CreatedAt time.Time
	ExpiresAt time.Time // zero means never
}

// Expired reports whether r is past its expiry at now.
func (r Record) Expired(now time.Time) bool {
	return !r.ExpiresAt.IsZero() && !now.Before(r.ExpiresAt)
}

// Counter is a quota: a Write that carries one increments Key by one and is refused with
// fault.LimitExceeded (Field = Key) when the count has already reached Limit.
type Counter struct {
	Key   string
	Limit int64
}

// Write is everything one create stores, applied atomically. Every record key must be absent
// (or expired); otherwise the whole Write is refused with fault.Exists whose Field is the
// conflicting key.
type Write struct {
	Records []Record
	Counter *Counter
}

// Store is the contract every driver meets and storetest checks. Consumers declare the smaller
// interfaces they need; this one exists so the conformance suite has something to run against.
type Store interface {
	// Create applies w atomically.
	Create(ctx context.Context, w Write) error
	// Get returns the live record at key, or fault.NotFound (also for an expired record).
	Get(ctx context.Context, key string) (Record, error)
	// Count returns how many live records are stored (counters excluded); used by tests and
	// operators to check that a refused request wrote nothing.
	Count(ctx context.Context) (int, error)
	// CounterValue returns the current value of a quota counter (0 when never incremented).
	CounterValue(ctx context.Context, key string) (int64, error)
}
