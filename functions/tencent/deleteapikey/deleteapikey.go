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

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "DeleteApiKey"

// codeInvalidStatus is the state code DeleteApiKey documents for a key in use (enabled).
const codeInvalidStatus = "UnsupportedOperation.InvalidStatus"

// Row declares DeleteApiKey in API Gateway's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store:     store.NeedGet | store.NeedDelete | store.NeedCount,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.APIGateway, action, func(ctx context.Context, c tencent.Call, p *apikey.KeyParams) (any, error) {
		if err := remove(ctx, d.Store, c.Account, p.AccessKeyID); err != nil {
			return nil, err
		}
		return apikey.Done, nil
	})
}

// remove deletes the key at the version whose status it checked, so a key enabled between the
// check and the delete is not deleted (the round is retried and then refused).
func remove(ctx context.Context, st apikey.GetApplier, account, id string) error {
	err := apikey.Conditional(ctx, id, func() error {
		rec, err := apikey.Get(ctx, st, account, id)
		if err != nil {
			return err
		}
		if rec.Attrs.String(apikey.AttrStatus) != apikey.StatusDisabled {
			return fault.Newf(fault.Invalid, "", "The API key %s is enabled; disable it before deleting it.", id).WithCode(codeInvalidStatus)
		}
		return st.Apply(ctx, store.Tx{
			{Delete: &store.Delete{Ref: rec.Ref, IfVersion: rec.Version}},
			{Count: &store.Count{Ref: apikey.CounterRef(account), Delta: -1}},
		})
	})
	if err != nil && !fault.IsClient(err) {
		return fmt.Errorf("deleteapikey: %w", err) // a counter at zero or a lost race: internal
	}
	return err
}
