// Package createapikey serves Tencent Cloud API Gateway's CreateApiKey (service apigateway,
// version 2018-08-08): it creates an API key pair for the signing account, either generated
// (AccessKeyType auto) or chosen by the caller (manual), seals the AccessKeySecret and stores
// one record per AccessKeyId, counting keys against a per-account limit.
//
// The secret is returned in clear in this response only; the store holds it sealed.
package createapikey

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "CreateApiKey"

// Codes this action documents (docs/wire/tencent.md, "CreateApiKey").
const (
	codeAccessKeyExist = "FailedOperation.AccessKeyExist"
	codeKeyLimit       = "LimitExceeded.ApiKeyCountLimitExceeded"
	codeFormatError    = "InvalidParameter.FormatError"
)

// Row declares CreateApiKey, the first action of API Gateway's function and the one that
// counts keys against the account's limit (operation.Deps.KeyLimit). Its Example is the request
// of events/tencent-apigateway.json.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-apigateway", API: "TencentApiGateway", Dialect: operation.Tencent,
	Service: apikey.Service, Route: "POST /", Action: action,
	Store: store.NeedPut | store.NeedCount, Seals: true, Quota: true,
	NewAction: newAction,
	Example: &operation.Example{
		Path: "/",
		Header: map[string]string{
			"accept":             "application/json",
			"authorization":      "TC3-HMAC-SHA256 Credential=AKIDkeyportLocalDev/2026-11-24/apigateway/tc3_request, SignedHeaders=content-type;host, Signature=0000000000000000000000000000000000000000000000000000000000000000",
			"content-type":       "application/json",
			"user-agent":         "Go-http-client/1.1",
			"x-tc-action":        "CreateApiKey",
			"x-tc-language":      "zh-CN",
			"x-tc-region":        "ap-guangzhou",
			"x-tc-requestclient": "SDK_GO_1.3.210",
			"x-tc-timestamp":     "1795519755",
			"x-tc-version":       "2018-08-08",
		},
		Body: `{"SecretName":"keyport-event","AccessKeyType":"auto"}`,
	},
}

// newAction builds CreateApiKey on d. KeyLimit 0 (or less) means apikey.DefaultKeyLimit keys
// per account. Every refusal of a parameter's value is InvalidParameter.FormatError, the one
// validation code the action documents.
func newAction(d operation.Deps) tencent.Action {
	h := handler{Deps: d, limit: d.KeyLimit}
	if h.limit <= 0 {
		h.limit = apikey.DefaultKeyLimit
	}
	a := tencent.Op(tencent.APIGateway, action, h.create)
	a.InvalidCode = codeFormatError
	return a
}

type handler struct {
	operation.Deps
	limit int64
}

// create runs on a checked request, so a bad request costs no KMS call: it seals the secret
// and stores the key and the count increment in one atomic write.
func (h handler) create(ctx context.Context, c tencent.Call, req *request) (any, error) {
	at := h.Now()
	if req.AccessKeyType == apikey.TypeAuto {
		req.AccessKeyID, req.AccessKeySecret = apikey.NewAccessKeyID(at), apikey.NewAccessKeySecret()
	}
	now := at.UTC().Truncate(time.Second).Format(apikey.TimeLayout)
	ref := apikey.RecordRef(c.Account, req.AccessKeyID)
	sealed, err := h.Sealer.Seal(ctx, apikey.Scope(c.Account), ref.AAD(), []byte(req.AccessKeySecret))
	if err != nil {
		return nil, fmt.Errorf("createapikey: seal: %v", err) // %v: a KMS error never renders as a client fault
	}
	tags, _ := json.Marshal(req.Tags) // strings only: cannot fail
	rec := store.Record{
		Ref: ref, Sealed: sealed, CreatedAt: at.UTC().Truncate(time.Second), Claims: []store.Ref{apikey.IDClaim(req.AccessKeyID)},
		Attrs: store.Attrs{
			apikey.AttrSecretName: req.SecretName, apikey.AttrAccessKeyType: req.AccessKeyType, apikey.AttrStatus: apikey.StatusEnabled,
			apikey.AttrCreatedTime: now, apikey.AttrModifiedTime: now, apikey.AttrTags: string(tags),
		},
	}
	err = h.Store.Apply(ctx, store.Tx{
		{Put: &store.Put{Record: rec}},
		{Count: &store.Count{Ref: apikey.CounterRef(c.Account), Delta: 1, Limit: h.limit}},
	})
	if err != nil {
		return nil, h.storeFault(err)
	}
	audit.SetResource(ctx, req.AccessKeyID)
	return result{Result: apikey.FromRecord(rec, req.AccessKeySecret)}, nil
}

// The actions of a create's transaction, in order.
const (
	actionPut   = 0
	actionCount = 1
)

// storeFault turns the store's refusals into this action's codes: the key (this account's
// record, or its AccessKeyId's claim held by any account) exists, or the account is at its
// limit. Anything else, an unexpected conflict included, is internal.
func (h handler) storeFault(err error) error {
	c := store.ConflictOf(err)
	switch {
	case c == nil:
	case c.Action == actionPut && (c.Reason == store.Exists || c.Reason == store.Claimed):
		return fault.New(fault.Exists, "", "The AccessKeyId already exists.").WithCode(codeAccessKeyExist)
	case c.Action == actionCount && c.Reason == store.AtLimit:
		return fault.Newf(fault.LimitExceeded, "", "The account already has %d API keys, the most allowed.", h.limit).WithCode(codeKeyLimit)
	}
	return fmt.Errorf("createapikey: store: %w", err)
}

// result is the response's fields next to RequestId.
type result struct {
	Result apikey.APIKey `json:"Result"`
}
