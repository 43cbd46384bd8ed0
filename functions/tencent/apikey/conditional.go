package apikey

import (
	"context"

	"keyport/shared/store"
)

// maxRounds bounds the read-check-write rounds of one request. Each round that loses does so
// because another write to the same key committed, so rounds run out only under a sustained
// burst of writes to one key; the request then fails as an internal error the client retries.
const maxRounds = 64

// Conditional runs round (a read, a check, and a write conditioned on the version read) until
// it is not refused as stale: a write made between the read and the write is never
// overwritten, and the check always holds for the version written. A write refused because
// the key has gone meanwhile is reported as NotFound(id).
func Conditional(ctx context.Context, id string, round func() error) error {
	for i := 1; ; i++ {
		err := round()
		c := store.ConflictOf(err)
		switch {
		case c != nil && c.Reason == store.Missing:
			return NotFound(id)
		case c != nil && c.Reason == store.Stale && i < maxRounds && ctx.Err() == nil:
			continue
		}
		return err
	}
}
