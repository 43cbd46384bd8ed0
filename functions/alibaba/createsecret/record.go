package createsecret

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"

	"keyport/shared/api/alibaba"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// codeNameDuplicate answers a second secret with the same name in an account. INFERENCE: APIG
// documents no code for it; real clients see 409 Conflict.ConsumerNameDuplicate for the sibling
// CreateConsumer (WIRE §2.6), so secrets are given the same pattern.
const codeNameDuplicate = "Conflict.SecretNameDuplicate"

// statusEnabled is the stored status of a new secret. GetSecret's doc lists ENALBE (sic),
// DISABLE and DELETED; keyport stores the correctly spelt ENABLE, consistent with its
// siblings, and leaves it to a future GetSecret to render whatever the real service sends.
const statusEnabled = "ENABLE"

// secretIDAlphabet and secretIDLen shape ids like the doc's sec-d5e6shmm1hkoxxxxxxxx:
// "sec-" and 20 lower-case letters and digits (about 103 random bits).
const (
	secretIDAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	secretIDLen      = 20
)

// newSecretID draws an id from crypto/rand, rejecting bytes >= 252 so each of the 36
// characters is equally likely.
func newSecretID() string {
	out := make([]byte, 0, 4+secretIDLen)
	out = append(out, "sec-"...)
	var buf [32]byte
	for len(out) < cap(out) {
		_, _ = rand.Read(buf[:]) // never fails on supported platforms
		for _, b := range buf {
			if b < 252 && len(out) < cap(out) {
				out = append(out, secretIDAlphabet[b%36])
			}
		}
	}
	return string(out)
}

// SecretRef is the ref of a secret of account.
func SecretRef(account, id string) store.Ref {
	return store.Ref{Service: alibaba.Service, Tenant: account, Kind: "secret", ID: id}
}

// NameClaim is the claim a secret holds on its name: one secret per name in an account.
func NameClaim(account, name string) store.Ref {
	return store.Ref{Service: alibaba.Service, Tenant: account, Kind: "name", ID: name}
}

// The actions of a create's transaction, in order. The nonce comes first so a replay is
// reported as SignatureNonceUsed.
const (
	actionNonce  = 0
	actionSecret = 1
)

// store seals secretData and writes the nonce and the secret, which claims its name, in one
// store transaction.
func (h *handler) store(ctx context.Context, c alibaba.Caller, req request) (string, error) {
	id := newSecretID()
	ref := SecretRef(c.Account, id)
	sealed, err := h.d.Sealer.Seal(ctx, seal.Scope{Service: alibaba.Service, Tenant: c.Account}, ref.AAD(), []byte(req.SecretData))
	if err != nil {
		return "", fmt.Errorf("createsecret: seal: %v", err)
	}
	now := c.At
	secret := store.Record{Ref: ref, Attrs: attrs(req, now.UnixMilli()), Sealed: sealed, CreatedAt: now,
		Claims: []store.Ref{NameClaim(c.Account, req.Name)}}
	if err := h.d.Store.Apply(ctx, store.Tx{c.SpendNonce(), {Put: &store.Put{Record: secret}}}); err != nil {
		return "", storeFault(err, req.Name)
	}
	return id, nil
}

// attrs are the secret's non-secret fields as GetSecret would return them; empty ones are left
// out. secretData is never among them: it lives only in the sealed blob.
func attrs(req request, createdMs int64) store.Attrs {
	a := store.Attrs{"name": req.Name, "status": statusEnabled, "createTimestamp": strconv.FormatInt(createdMs, 10)}
	for k, v := range map[string]string{"description": req.Description, "gatewayType": req.GatewayType,
		"secretSource": req.SecretSource, "kmsInstanceId": req.KMSConfig.InstanceID, "kmsKeyId": req.KMSConfig.KeyID} {
		if v != "" {
			a[k] = v
		}
	}
	return a
}

// storeFault turns the conflicts a create can meet into client faults (a spent nonce, a
// taken name) and anything else, a secretId collision included, into an internal error whose
// text is logged only. %v, not %w, so an unexpected error can never reach a response.
func storeFault(err error, name string) error {
	c := store.ConflictOf(err)
	switch {
	case c == nil:
	case c.Action == actionNonce && c.Reason == store.Exists:
		return alibaba.Replayed()
	case c.Action == actionSecret && c.Reason == store.Claimed && c.Claim == 0:
		return fault.Newf(fault.Exists, "name", "a secret named %q already exists", name).WithCode(codeNameDuplicate)
	}
	return fmt.Errorf("createsecret: store: %v", err)
}
