// Package apikey is what Tencent API Gateway's key actions after CreateApiKey share: their one
// common parameter (AccessKeyId), reading a key of the signing account, opening its secret,
// the not-found answer, and retrying a read-check-write when a concurrent write to the same key
// won. The record itself is CreateApiKey's (package createapikey owns its refs and attributes).
//
// It is not an operation: the operations table names the action packages that use it.
package apikey

import (
	"context"
	"errors"
	"fmt"

	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/valid"
)

// CodeNotFound is the code every key action documents for a key that does not exist.
const CodeNotFound = "ResourceNotFound.InvalidAccessKeyId"

// Getter reads one record.
type Getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// Opener opens a sealed secret.
type Opener interface {
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// Action returns an apigateway action (signing service and version of CreateApiKey).
func Action(name string, handle func(ctx context.Context, c tencent.Call) (any, error)) tencent.Action {
	return tencent.Action{Name: name, Service: createapikey.SigningService, Version: createapikey.Version, Handle: handle}
}

// idRequest is the parameters of DescribeApiKey, EnableApiKey, DisableApiKey and DeleteApiKey.
type idRequest struct {
	AccessKeyID string `json:"AccessKeyId"`
}

// DecodeID decodes a body whose one parameter is AccessKeyId and checks it.
func DecodeID(body []byte) (string, error) {
	var r idRequest
	if err := tencent.Decode(body, &r); err != nil {
		return "", err
	}
	return r.AccessKeyID, CheckID(r.AccessKeyID)
}

// CheckID refuses an empty AccessKeyId as MissingParameter (Tencent's Terraform provider sends
// one when it disables an auto key it has just created), and one that no key can have
// (CreateApiKey issues and accepts only 5-50 letters, digits and underscores) as
// InvalidParameterValue: either way the message names the parameter, and no store is read.
func CheckID(id string) error {
	return valid.First(valid.Required("AccessKeyId", id), valid.WordOfLength("AccessKeyId", id, 5, 50))
}

// NotFound is the answer for a key that is unknown, deleted, or another account's: the three
// are indistinguishable on purpose.
func NotFound(id string) error {
	return fault.Newf(fault.NotFound, "", "The API key %s does not exist.", id).WithCode(CodeNotFound)
}

// Get reads the signing account's key id. A key of another account is not found: the record's
// ref holds the account, so it is never read.
func Get(ctx context.Context, st Getter, account, id string) (store.Record, error) {
	rec, err := st.Get(ctx, createapikey.RecordRef(account, id))
	if errors.Is(err, store.ErrNotFound) {
		return rec, NotFound(id)
	}
	if err != nil {
		return rec, fmt.Errorf("apikey: get: %v", err) // %v: never rendered as a client fault
	}
	audit.SetResource(ctx, id) // every action on one key finds it here
	return rec, nil
}

// Scope is the seal scope of an account's keys.
func Scope(account string) seal.Scope {
	return seal.Scope{Service: createapikey.Service, Tenant: account}
}

// Open returns rec's secret.
func Open(ctx context.Context, o Opener, rec store.Record) (string, error) {
	pt, err := o.Open(ctx, Scope(rec.Tenant), rec.Ref.AAD(), rec.Sealed)
	if err != nil {
		return "", fmt.Errorf("apikey: open: %v", err)
	}
	return string(pt), nil
}

// Render reads and opens the account's key id as Tencent's ApiKey.
func Render(ctx context.Context, st Getter, o Opener, account, id string) (createapikey.APIKey, error) {
	rec, err := Get(ctx, st, account, id)
	if err != nil {
		return createapikey.APIKey{}, err
	}
	secret, err := Open(ctx, o, rec)
	if err != nil {
		return createapikey.APIKey{}, err
	}
	return createapikey.KeyFromRecord(rec, secret), nil
}
