package credentials

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Fetch returns the current credentials document, e.g. a Secrets Manager secret string.
type Fetch func(ctx context.Context) ([]byte, error)

// Refresher keeps a Book loaded from a Fetch and reloads it once it is older than a TTL, so
// rotating the credentials secret needs no redeploy. Handlers hold Book(); Refresh is called
// before each request (cheap when fresh) by the Lambda plumbing.
type Refresher struct {
	fetch Fetch
	ttl   time.Duration
	now   func() time.Time

	mu     sync.Mutex
	loaded time.Time
	book   *Book
}

// NewRefresher loads the document once (a cold start fails loudly rather than serving with
// no credentials) and returns a Refresher reloading it every ttl.
func NewRefresher(ctx context.Context, fetch Fetch, ttl time.Duration, now func() time.Time) (*Refresher, error) {
	if now == nil {
		now = time.Now
	}
	r := &Refresher{fetch: fetch, ttl: ttl, now: now}
	book, err := r.load(ctx)
	if err != nil {
		return nil, err
	}
	r.book, r.loaded = book, now()
	return r, nil
}

// Book returns the live book; its entries change in place when Refresh reloads.
func (r *Refresher) Book() *Book { return r.book }

// Refresh reloads the document if the TTL has passed. A failed reload keeps the previous
// credentials (an outage of the secret store must not lock every caller out) and is returned
// so the caller can log it.
func (r *Refresher) Refresh(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.now().Sub(r.loaded) < r.ttl {
		return nil
	}
	book, err := r.load(ctx)
	r.loaded = r.now() // also after a failure: retry after another TTL, not on every request
	if err != nil {
		return err
	}
	r.book.replace(book)
	return nil
}

func (r *Refresher) load(ctx context.Context) (*Book, error) {
	data, err := r.fetch(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials: fetch: %w", err)
	}
	return Parse(data)
}
