// Package updateapikey serves Tencent Cloud API Gateway's UpdateApiKey (service apigateway,
// version 2018-08-08): it replaces the secret of an enabled key of the signing account, keeping
// its id and name, and answers the key with its new secret. An auto key gets a generated
// secret; a manual key takes the AccessKeySecret the caller gives (10-50 letters, digits and
// underscores). The old secret is gone: the sealed value is replaced in the same write that
// moves ModifiedTime.
package updateapikey

import (
	"context"
	"fmt"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "UpdateApiKey"

// Codes this action answers besides the common ones.
const (
	// codeDisabled: Tencent documents that a disabled key cannot be changed; this is the code
	// its SDK lists for "the current key status does not support this operation".
	codeDisabled    = "UnsupportedOperation.UnsupportedUpdateApiKey"
	codeFormatError = "InvalidParameter.FormatError"
)

// Row declares UpdateApiKey in API Gateway's function.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store: store.NeedGet | store.NeedUpdate, Seals: true,
	NewAction: newAction,
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.APIGateway, action, handler{d}.update)
}

type handler struct{ operation.Deps }

// update checks the key before sealing (no KMS call for a refusal), seals the new secret once
// (its associated data is the key's ref, which does not change), then writes it at the version
// it checked, checking again if another write came first.
func (h handler) update(ctx context.Context, c tencent.Call, req *request) (any, error) {
	rec, err := apikey.Get(ctx, h.Store, c.Account, req.AccessKeyID)
	if err != nil {
		return nil, err
	}
	secret, err := newSecret(rec, req)
	if err == nil {
		err = checkEnabled(rec)
	}
	if err != nil {
		return nil, err
	}
	sealed, err := h.Sealer.Seal(ctx, apikey.Scope(c.Account), rec.Ref.AAD(), []byte(secret))
	if err != nil {
		return nil, fmt.Errorf("updateapikey: seal: %v", err) // %v: a KMS error never renders as a client fault
	}
	now := h.Now().UTC().Truncate(time.Second)
	set := store.Attrs{apikey.AttrModifiedTime: now.Format(apikey.TimeLayout)}
	first := true
	err = apikey.Conditional(ctx, req.AccessKeyID, func() error {
		if !first { // another write won the last round: check the key as it is now
			if rec, err = apikey.Get(ctx, h.Store, c.Account, req.AccessKeyID); err != nil {
				return err
			}
			if err := checkEnabled(rec); err != nil {
				return err
			}
		}
		first = false
		return h.Store.Apply(ctx, store.Tx{{Update: &store.Update{Ref: rec.Ref, IfVersion: rec.Version, Set: set, Sealed: sealed, At: now}}})
	})
	if err != nil {
		if fault.IsClient(err) {
			return nil, err
		}
		return nil, fmt.Errorf("updateapikey: store: %w", err)
	}
	rec.Attrs[apikey.AttrModifiedTime] = set[apikey.AttrModifiedTime]
	return result{Result: apikey.FromRecord(rec, secret)}, nil
}

// newSecret is the key's next secret: generated for an auto key, the caller's for a manual one.
// A secret given for an auto key is refused rather than ignored, as CreateApiKey does: ignoring
// it would leave the caller believing its secret is in force.
func newSecret(rec store.Record, req *request) (string, error) {
	if rec.Attrs.String(apikey.AttrAccessKeyType) == apikey.TypeManual {
		if req.AccessKeySecret == "" {
			return "", fault.New(fault.Missing, "AccessKeySecret", "is required to update a manual key")
		}
		return req.AccessKeySecret, nil
	}
	if req.AccessKeySecret != "" {
		return "", fault.New(fault.Invalid, "AccessKeySecret", "may be given only for a manual key; an auto key's new secret is generated").WithCode(codeFormatError)
	}
	return apikey.NewAccessKeySecret(), nil
}

func checkEnabled(rec store.Record) error {
	if rec.Attrs.String(apikey.AttrStatus) != apikey.StatusEnabled {
		return fault.Newf(fault.Invalid, "", "The API key %s is disabled; enable it before updating it.", rec.ID).WithCode(codeDisabled)
	}
	return nil
}

type result struct {
	Result apikey.APIKey `json:"Result"`
}
