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
	"net/http"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// The action as Tencent names it, and the service name keyport seals and stores it under.
const (
	ActionName      = "CreateApiKey"
	Version         = "2018-08-08"
	SigningService  = "apigateway"         // the TC3 credential scope service
	Service         = "tencent-apigateway" // seal scope, encryption context and record keys
	DefaultKeyLimit = 500
)

// Codes this action documents (WIRE §3.5).
const (
	codeAccessKeyExist = "FailedOperation.AccessKeyExist"
	codeKeyLimit       = "LimitExceeded.ApiKeyCountLimitExceeded"
	codeFormatError    = "InvalidParameter.FormatError"
)

// timeLayout is the ApiKey times' format: ISO 8601 UTC to the second.
const timeLayout = "2006-01-02T15:04:05Z"

// applier is the one store call a create makes: an atomic transaction.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps is what the handler needs. Now nil means time.Now; KeyLimit 0 (or less) means
// DefaultKeyLimit keys per account.
type Deps struct {
	Store    applier
	Sealer   sealer
	Creds    *credentials.Book
	Now      func() time.Time
	KeyLimit int64
}

// RecordRef is the ref of an API key, owned by its account.
func RecordRef(account, accessKeyID string) store.Ref {
	return store.Ref{Service: Service, Tenant: account, Kind: "apikey", ID: accessKeyID}
}

// IDClaim is the claim every API key holds on its AccessKeyId. It has no tenant: AccessKeyIds
// are unique across accounts, as Tencent reports a clash with any existing key.
func IDClaim(accessKeyID string) store.Ref {
	return store.Ref{Service: Service, Kind: "accesskeyid", ID: accessKeyID}
}

// CounterRef is the ref of an account's key count.
func CounterRef(account string) store.Ref {
	return store.Ref{Service: Service, Tenant: account, Kind: "counter", ID: "apikeys"}
}

// Action returns CreateApiKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.KeyLimit <= 0 {
		d.KeyLimit = DefaultKeyLimit
	}
	h := handler{d}
	return tencent.Action{Name: ActionName, Service: SigningService, Version: Version, Handle: h.handle}
}

// New returns an http.Handler serving CreateApiKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

type handler struct{ Deps }

// handle validates everything before sealing, so a bad request costs no KMS call, then seals
// the secret and stores the key and the count increment in one atomic write.
func (h handler) handle(ctx context.Context, c tencent.Call) (any, error) {
	req, err := decode(c.Body)
	if err != nil {
		return nil, err
	}
	at := h.Now()
	if req.AccessKeyType == typeAuto {
		req.AccessKeyID, req.AccessKeySecret = newAccessKeyID(at), newAccessKeySecret()
	}
	now := at.UTC().Truncate(time.Second)
	ref := RecordRef(c.Account, req.AccessKeyID)
	sealed, err := h.Sealer.Seal(ctx, seal.Scope{Service: Service, Tenant: c.Account}, ref.AAD(), []byte(req.AccessKeySecret))
	if err != nil {
		return nil, fmt.Errorf("createapikey: seal: %v", err) // %v: never render as a client fault
	}
	tags, _ := json.Marshal(req.Tags) // strings only: cannot fail
	rec := store.Record{
		Ref: ref, Sealed: sealed, CreatedAt: now, Claims: []store.Ref{IDClaim(req.AccessKeyID)},
		Attrs: store.Attrs{
			AttrSecretName: req.SecretName, AttrAccessKeyType: req.AccessKeyType, AttrStatus: StatusEnabled,
			AttrCreatedTime: now.Format(timeLayout), AttrModifiedTime: now.Format(timeLayout), AttrTags: string(tags),
		},
	}
	err = h.Store.Apply(ctx, store.Tx{
		{Put: &store.Put{Record: rec}},
		{Count: &store.Count{Ref: CounterRef(c.Account), Delta: 1, Limit: h.KeyLimit}},
	})
	if err != nil {
		return nil, h.storeFault(err)
	}
	audit.SetResource(ctx, req.AccessKeyID)
	return result{Result: APIKey{
		AccessKeyID: req.AccessKeyID, AccessKeySecret: req.AccessKeySecret, AccessKeyType: req.AccessKeyType,
		SecretName: req.SecretName, Status: 1, CreatedTime: now.Format(timeLayout), ModifiedTime: now.Format(timeLayout),
		Tags: req.Tags,
	}}, nil
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
		return fault.Newf(fault.LimitExceeded, "", "The account already has %d API keys, the most allowed.", h.KeyLimit).WithCode(codeKeyLimit)
	}
	return fmt.Errorf("createapikey: store: %v", err) // %v: never render as a client fault
}

// result is the response's fields next to RequestId.
type result struct {
	Result APIKey `json:"Result"`
}

// APIKey is Tencent's ApiKey structure (WIRE §3.3).
type APIKey struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	AccessKeyType   string `json:"AccessKeyType"`
	SecretName      string `json:"SecretName"`
	ModifiedTime    string `json:"ModifiedTime"`
	Status          int64  `json:"Status"`
	CreatedTime     string `json:"CreatedTime"`
	Tags            []Tag  `json:"Tags"`
}
