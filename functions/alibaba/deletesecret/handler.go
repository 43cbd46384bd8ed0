// Package deletesecret is Alibaba Cloud APIG's DeleteSecret (DELETE /v1/secrets/{secretId}) for
// keyport: the secret and its name record go in one transaction, so the secret is gone at once
// for every reader and its name can be created again. The answer is the envelope without data.
//
// APIG's status enum has DELETED, which hints at a soft delete, but no APIG operation reads a
// deleted secret; keyport deletes outright, which is what a caller who reuses the name expects.
// keyport has nothing that references secrets, so there is no "in use" refusal.
package deletesecret

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
const Pattern = "DELETE /v1/secrets/{secretId}"

// deleter is what DeleteSecret does with the store: a read (for the name), then one transaction.
type deleter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// Deps are the operation's collaborators; Now defaults to time.Now.
type Deps struct {
	Store deleter
	Creds *credentials.Book
	Now   func() time.Time
}

// New returns the DeleteSecret handler (it routes Pattern itself).
func New(d Deps) http.Handler {
	if d.Store == nil || d.Creds == nil {
		panic("deletesecret: Deps needs Store and Creds")
	}
	return alibaba.Handle(Pattern, d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		return nil, remove(r.Context(), d.Store, c, r.PathValue("secretId"))
	})
}

// The actions of a delete's transaction: the nonce and the secret (apigsecret.ActionNonce,
// ActionSecret), then the name record.
const actionName = apigsecret.ActionSecret + 1

// remove reads the secret to learn its name, then deletes both records with the nonce spent.
func remove(ctx context.Context, st deleter, c alibaba.Caller, id string) error {
	rec, err := apigsecret.Get(ctx, st, c.Account, id)
	if err != nil {
		return err
	}
	name := apigsecret.NameRef(c.Account, rec.Attrs.String(apigsecret.AttrName))
	err = st.Apply(ctx, store.Tx{c.SpendNonce(), {Delete: &store.Delete{Ref: rec.Ref}}, {Delete: &store.Delete{Ref: name}}})
	// A missing name record beside a live secret cannot happen (they are written and deleted
	// together), so WriteFault leaves it internal, as anything else.
	return apigsecret.WriteFault("deletesecret", err, id)
}
