// Package deleteapikey serves Tencent Cloud API Gateway's DeleteApiKey (service apigateway,
// version 2018-08-08): it deletes a disabled key of the signing account and answers Result:
// true. One atomic write removes the record, releases its AccessKeyId (a custom id can be
// created again at once) and gives back its slot in the account's key quota. An enabled key is
// UnsupportedOperation.InvalidStatus (disable it first, as Tencent requires); a key that is
// unknown, already deleted or another account's is ResourceNotFound.InvalidAccessKeyId.
package deleteapikey

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"keyport/functions/tencent/apikey"
	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/store"
)

// ActionName is the action as Tencent names it.
const ActionName = "DeleteApiKey"

// codeInvalidStatus is the state code DeleteApiKey documents for a key in use (enabled).
const codeInvalidStatus = "UnsupportedOperation.InvalidStatus"

// Deps is what the handler needs.
type Deps struct {
	Store apikey.GetApplier
	Creds *credentials.Book
	Now   func() time.Time
}

// Action returns DeleteApiKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	return apikey.Action(ActionName, func(ctx context.Context, c tencent.Call) (any, error) {
		id, err := apikey.DecodeID(c.Body)
		if err != nil {
			return nil, err
		}
		if err := remove(ctx, d.Store, c.Account, id); err != nil {
			return nil, err
		}
		return apikey.BoolResult{Result: true}, nil
	})
}

// New returns an http.Handler serving DeleteApiKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

// remove deletes the key at the version whose status it checked, so a key enabled between the
// check and the delete is not deleted (the round is retried and then refused).
func remove(ctx context.Context, st apikey.GetApplier, account, id string) error {
	err := apikey.Conditional(ctx, id, func() error {
		rec, err := apikey.Get(ctx, st, account, id)
		if err != nil {
			return err
		}
		if rec.Attrs.String(createapikey.AttrStatus) != createapikey.StatusDisabled {
			return fault.Newf(fault.Invalid, "", "The API key %s is enabled; disable it before deleting it.", id).WithCode(codeInvalidStatus)
		}
		return st.Apply(ctx, store.Tx{
			{Delete: &store.Delete{Ref: rec.Ref, IfVersion: rec.Version}},
			{Count: &store.Count{Ref: createapikey.CounterRef(account), Delta: -1}},
		})
	})
	if err != nil && !fault.IsClient(err) {
		return fmt.Errorf("deleteapikey: %v", err) // a counter at zero or a lost race: internal
	}
	return err
}
