// Package listsecrets is Alibaba Cloud APIG's ListSecrets (GET /v1/secrets) for keyport: the
// caller's secrets, newest first, filtered by gatewayType and nameLike and cut into numbered
// pages, with totalSize counting every match. Items carry metadata only, never a value.
package listsecrets

import (
	"context"
	"net/http"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the operation's route, shared by the local server and the Lambda.
const Pattern = "GET /v1/secrets"

// lister is what ListSecrets does with the store: a List of the account's secrets, and the
// nonce write.
type lister interface {
	List(ctx context.Context, q store.Query) (store.Page, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// Deps are the operation's collaborators; Now defaults to time.Now.
type Deps struct {
	Store lister
	Creds *credentials.Book
	Now   func() time.Time
}

// New returns the ListSecrets handler (it routes Pattern itself).
func New(d Deps) http.Handler {
	if d.Store == nil || d.Creds == nil {
		panic("listsecrets: Deps needs Store and Creds")
	}
	return alibaba.Handle(Pattern, d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		q, err := parse(r.URL.Query())
		if err != nil {
			return nil, err
		}
		if err := c.Spend(r.Context(), d.Store); err != nil {
			return nil, err
		}
		return list(r.Context(), d.Store, c.Account, q)
	})
}
