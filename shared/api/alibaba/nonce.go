package alibaba

import (
	"keyport/shared/fault"
	"keyport/shared/store"
)

// NonceKey is the store key of c's nonce claim: alibaba-apig/nonce/<AccessKeyId>/<nonce>.
// Both parts are restricted (acs3 and checkNonce) so that neither can contain a '/'.
func (c Caller) NonceKey() string {
	return Service + "/nonce/" + c.AccessKeyID + "/" + c.Nonce
}

// NonceRecord is the claim an operation adds to its store.Write so that the nonce is spent
// in the same atomic write as the resource. It expires when the request could no longer pass
// the date check, after which the store treats it as absent. Put it first in Write.Records:
// a replay of a successful create conflicts on the nonce and on the resource alike, and the
// store reports the first conflicting record.
func (c Caller) NonceRecord() store.Record {
	return store.Record{Key: c.NonceKey(), Service: Service, Tenant: c.Account, CreatedAt: c.At, ExpiresAt: c.NonceUntil}
}

// ClaimFault turns the store's refusal of c's nonce claim into SignatureNonceUsed; any other
// error comes back unchanged for the operation to classify.
func (c Caller) ClaimFault(err error) error {
	if f := fault.As(err); err != nil && f.Kind == fault.Exists && f.Field == c.NonceKey() {
		return replayed()
	}
	return err
}
