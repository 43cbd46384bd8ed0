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

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares DeleteSecret: a read (for the name), then one transaction (the nonce's put and
// the two records' deletes).
var Row = operation.Row{
	Name:     "alibaba.DeleteSecret",
	Function: "alibaba-deletesecret",
	API:      "Alibaba",
	Dialect:  operation.Alibaba,
	Service:  alibaba.Service,
	Route:    "DELETE /v1/secrets/{secretId}",
	Store:    store.NeedGet | store.NeedPut | store.NeedDelete,
	New:      newHandler,
	Example: &operation.Example{
		Path:   "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx",
		Header: alibaba.ExampleHeader("DeleteSecret", false),
	},
}

func newHandler(d operation.Deps) http.Handler {
	return alibaba.Handle(d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		return nil, remove(r.Context(), d.Store, c, r.PathValue("secretId"))
	})
}

// The actions of a delete's transaction: the nonce and the secret (apigsecret.ActionNonce,
// ActionSecret), then the name record.
const actionName = apigsecret.ActionSecret + 1

// remove reads the secret to learn its name, then deletes both records with the nonce spent.
func remove(ctx context.Context, st store.Store, c alibaba.Caller, id string) error {
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
