package createsecret

import (
	"cmp"
	"context"
	"fmt"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// codeNameDuplicate answers a second secret with the same name in an account. APIG documents no
// code for it; real clients see 409 Conflict.ConsumerNameDuplicate for the sibling
// CreateConsumer, so secrets are given the same pattern (docs/wire/alibaba.md, "Errors" and
// "Where the vendor is silent").
const codeNameDuplicate = "Conflict.SecretNameDuplicate"

// The actions of a create's transaction, in order: the nonce first (apigsecret.ActionNonce, so a
// replay is reported as SignatureNonceUsed), the secret (apigsecret.ActionSecret), its name.
const actionName = apigsecret.ActionSecret + 1

// create seals secretData and writes the nonce, the secret and its name record in one store
// transaction: the name record is put only if absent, which is what makes names unique.
func create(ctx context.Context, d operation.Deps, c alibaba.Caller, req request) (string, error) {
	id := apigsecret.NewID(c.At)
	ref := apigsecret.Ref(c.Account, id)
	sealed, err := d.Sealer.Seal(ctx, apigsecret.Scope(c.Account), ref.AAD(), []byte(req.SecretData))
	if err != nil {
		return "", fmt.Errorf("createsecret: seal: %v", err)
	}
	secret := store.Record{Ref: ref, Attrs: attrs(req), Sealed: sealed, CreatedAt: c.At}
	name := store.Record{Ref: apigsecret.NameRef(c.Account, req.Name), Attrs: store.Attrs{apigsecret.AttrSecretID: id}, CreatedAt: c.At}
	err = d.Store.Apply(ctx, store.Tx{c.SpendNonce(), {Put: &store.Put{Record: secret}}, {Put: &store.Put{Record: name}}})
	if cf := store.ConflictOf(err); cf != nil && cf.Action == actionName && cf.Reason == store.Exists {
		return "", fault.Newf(fault.Exists, "name", "a secret named %q already exists", req.Name).WithCode(codeNameDuplicate)
	}
	// A spent nonce is a replay; anything else, a secretId collision included, is internal.
	if err := apigsecret.WriteFault("createsecret", err, id); err != nil {
		return "", err
	}
	return id, nil
}

// attrs are the secret's non-secret fields as GetSecret returns them, for a valid request: the
// required ones as given, secretSource as given or its default, and a description only when
// there is one. secretData is never among them: it lives only in the sealed blob. The times
// are the record's own (CreatedAt, UpdatedAt).
func attrs(req request) store.Attrs {
	a := store.Attrs{
		apigsecret.AttrName:          req.Name,
		apigsecret.AttrStatus:        apigsecret.StatusEnabled,
		apigsecret.AttrGatewayType:   req.GatewayType,
		apigsecret.AttrSecretSource:  cmp.Or(req.SecretSource, apigsecret.DefaultSecretSource),
		apigsecret.AttrKMSInstanceID: req.KMSConfig.InstanceID,
		apigsecret.AttrKMSKeyID:      req.KMSConfig.KeyID,
	}
	if req.Description != "" {
		a[apigsecret.AttrDescription] = req.Description
	}
	return a
}
