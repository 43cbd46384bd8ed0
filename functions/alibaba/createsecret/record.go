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

// store seals secretData and writes the nonce claim, the name claim and the secret in one
// store.Write. The nonce claim comes first so a replay is reported as SignatureNonceUsed.
func (h *handler) store(ctx context.Context, c alibaba.Caller, req request) (string, error) {
	id := newSecretID()
	secretKey := alibaba.Service + "/secret/" + c.Account + "/" + id
	nameKey := alibaba.Service + "/name/" + c.Account + "/" + req.Name
	sealed, err := h.d.Sealer.Seal(ctx, seal.Scope{Service: alibaba.Service, Tenant: c.Account}, []byte(secretKey), []byte(req.SecretData))
	if err != nil {
		return "", fmt.Errorf("createsecret: seal: %v", err)
	}
	now := c.At
	w := store.Write{Records: []store.Record{
		c.NonceRecord(),
		{Key: nameKey, Service: alibaba.Service, Tenant: c.Account, Attrs: map[string]string{"secretId": id}, CreatedAt: now},
		{Key: secretKey, Service: alibaba.Service, Tenant: c.Account, Attrs: attrs(req, now.UnixMilli()), Sealed: sealed, CreatedAt: now},
	}}
	if err := h.d.Store.Create(ctx, w); err != nil {
		return "", storeFault(c.ClaimFault(err), nameKey, req.Name)
	}
	return id, nil
}

// attrs are the secret's non-secret fields as GetSecret would return them; empty ones are left
// out. secretData is never among them: it lives only in the sealed blob.
func attrs(req request, createdMs int64) map[string]string {
	a := map[string]string{"name": req.Name, "status": statusEnabled, "createTimestamp": strconv.FormatInt(createdMs, 10)}
	for k, v := range map[string]string{"description": req.Description, "gatewayType": req.GatewayType,
		"secretSource": req.SecretSource, "kmsInstanceId": req.KMSConfig.InstanceID, "kmsKeyId": req.KMSConfig.KeyID} {
		if v != "" {
			a[k] = v
		}
	}
	return a
}

// storeFault keeps the client faults a create can meet (a spent nonce, a taken name) and turns
// anything else, including a secretId collision, into an internal error whose text is logged
// only. %v, not %w, so an unexpected fault's store key can never reach a response.
func storeFault(err error, nameKey, name string) error {
	f := fault.As(err)
	switch {
	case f.Kind == fault.Replayed:
		return err
	case f.Kind == fault.Exists && f.Field == nameKey:
		return fault.Newf(fault.Exists, "name", "a secret named %q already exists", name).WithCode(codeNameDuplicate)
	}
	return fmt.Errorf("createsecret: store: %v", err)
}
