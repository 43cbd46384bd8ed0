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
	"net/http"
	"time"

	"keyport/functions/tencent/apikey"
	"keyport/functions/tencent/createapikey"
	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// ActionName is the action as Tencent names it.
const ActionName = "UpdateApiKey"

// Codes this action answers besides the common ones.
const (
	// codeDisabled: Tencent documents that a disabled key cannot be changed; this is the code
	// its SDK lists for "the current key status does not support this operation".
	codeDisabled    = "UnsupportedOperation.UnsupportedUpdateApiKey"
	codeFormatError = "InvalidParameter.FormatError"
)

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps is what the handler needs. Now nil means time.Now.
type Deps struct {
	Store  apikey.GetApplier
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
}

// Action returns UpdateApiKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	if d.Now == nil {
		d.Now = time.Now
	}
	h := handler{d}
	return apikey.Action(ActionName, h.handle)
}

// New returns an http.Handler serving UpdateApiKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

type handler struct{ Deps }

// handle checks the request and the key before sealing (no KMS call for a refusal), seals the
// new secret once (its associated data is the key's ref, which does not change), then writes it
// at the version it checked, checking again if another write came first.
func (h handler) handle(ctx context.Context, c tencent.Call) (any, error) {
	req, err := decode(c.Body)
	if err != nil {
		return nil, err
	}
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
		return nil, fmt.Errorf("updateapikey: seal: %v", err)
	}
	now := h.Now().UTC().Truncate(time.Second)
	set := store.Attrs{createapikey.AttrModifiedTime: now.Format(createapikey.TimeLayout)}
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
		return nil, fmt.Errorf("updateapikey: store: %v", err)
	}
	rec.Attrs[createapikey.AttrModifiedTime] = set[createapikey.AttrModifiedTime]
	return result{Result: createapikey.KeyFromRecord(rec, secret)}, nil
}

// newSecret is the key's next secret: generated for an auto key, the caller's for a manual one.
// A secret given for an auto key is refused rather than ignored, as CreateApiKey does: ignoring
// it would leave the caller believing its secret is in force.
func newSecret(rec store.Record, req request) (string, error) {
	if rec.Attrs.String(createapikey.AttrAccessKeyType) == createapikey.TypeManual {
		if req.AccessKeySecret == "" {
			return "", fault.New(fault.Missing, "AccessKeySecret", "is required to update a manual key")
		}
		return req.AccessKeySecret, nil
	}
	if req.AccessKeySecret != "" {
		return "", fault.New(fault.Invalid, "AccessKeySecret", "may be given only for a manual key; an auto key's new secret is generated").WithCode(codeFormatError)
	}
	return createapikey.NewAccessKeySecret(), nil
}

func checkEnabled(rec store.Record) error {
	if rec.Attrs.String(createapikey.AttrStatus) != createapikey.StatusEnabled {
		return fault.Newf(fault.Invalid, "", "The API key %s is disabled; enable it before updating it.", rec.ID).WithCode(codeDisabled)
	}
	return nil
}

type result struct {
	Result createapikey.APIKey `json:"Result"`
}
