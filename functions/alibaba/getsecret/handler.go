// Package getsecret is Alibaba Cloud APIG's GetSecret (GET /v1/secrets/{secretId}) for keyport:
// a secret's metadata, never its value. Terraform's provider reads a secret right after creating
// it and takes an HTTP 404 to mean "gone", so an unknown, malformed or another account's id is
// 404 NotFound.Secret.
package getsecret

import (
	"context"
	"net/http"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the operation's route, shared by the local server and the Lambda.
const Pattern = "GET /v1/secrets/{secretId}"

// reader is what GetSecret does with the store: one read, and the nonce write of a success.
type reader interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// Deps are the operation's collaborators; Now defaults to time.Now.
type Deps struct {
	Store reader
	Creds *credentials.Book
	Now   func() time.Time
}

// New returns the GetSecret handler. It routes Pattern itself, so it serves under the local
// server's ServeMux and alone behind the Lambda adapter alike.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Creds == nil {
		panic("getsecret: Deps needs Store and Creds")
	}
	return alibaba.Handle(Pattern, d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		rec, err := apigsecret.GetSpent(r.Context(), d.Store, c, r.PathValue("secretId"))
		if err != nil {
			return nil, err
		}
		return apigsecret.ViewOf(rec), nil
	})
}
