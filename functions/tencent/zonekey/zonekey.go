// Package zonekey is what EdgeOne's multi-path gateway secret key actions after the create
// share: their ZoneId parameter, reading the signing account's zone key, replacing it, and the
// not-found answer. The record is CreateMultiPathGatewaySecretKey's (package
// createmultipathgatewaysecretkey owns its ref). There is no list and no delete: EdgeOne has
// none.
//
// It is not an operation: the operations table names the action packages that use it.
package zonekey

import (
	"context"
	"errors"
	"fmt"
	"time"

	cm "keyport/functions/tencent/createmultipathgatewaysecretkey"
	"keyport/shared/api/tencent"
	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/valid"
)

// CodeNotFound answers an action on a zone without a key. The vendor lists no code for it;
// Tencent's Terraform provider takes any code containing ResourceNotFound as "no key yet" and
// then creates one, so the code is the common ResourceNotFound itself (not
// ResourceNotFound.ZoneNotFound, which would claim the zone does not exist).
const CodeNotFound = "ResourceNotFound"

// Getter reads one record.
type Getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// GetApplier reads and writes records.
type GetApplier interface {
	Getter
	Apply(ctx context.Context, tx store.Tx) error
}

// Sealer seals secret values.
type Sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Opener opens sealed secret values.
type Opener interface {
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// Action returns a teo action (signing service and version of the create).
func Action(name string, handle func(ctx context.Context, c tencent.Call) (any, error)) tencent.Action {
	return tencent.Action{Name: name, Service: cm.SigningService, Version: cm.Version, Handle: handle}
}

// CheckZoneID checks ZoneId as the create does: required, and shaped like a zone id.
func CheckZoneID(zoneID string) error {
	return valid.First(valid.Required("ZoneId", zoneID), cm.CheckZoneID(zoneID))
}

// NotFound is the answer for a zone with no key, including another account's zone: the two are
// indistinguishable on purpose.
func NotFound(zoneID string) error {
	return fault.Newf(fault.NotFound, "", "The zone %s has no multi-path gateway secret key; create one first.", zoneID).WithCode(CodeNotFound)
}

// Scope is the seal scope of an account's zone keys.
func Scope(account string) seal.Scope { return seal.Scope{Service: cm.Service, Tenant: account} }

// Get reads the account's key of zoneID.
func Get(ctx context.Context, st Getter, account, zoneID string) (store.Record, error) {
	rec, err := st.Get(ctx, cm.RecordRef(account, zoneID))
	if errors.Is(err, store.ErrNotFound) {
		return rec, NotFound(zoneID)
	}
	if err != nil {
		return rec, fmt.Errorf("zonekey: get: %v", err) // %v: never rendered as a client fault
	}
	audit.SetResource(ctx, zoneID) // every action on one key finds it here
	return rec, nil
}

// Replace makes key the zone's key. It reads first, so that a zone without a key costs no KMS
// call, then seals and writes in one update: concurrent replaces each win in turn, and the
// last one written is the key in force. A key deleted between the read and the write is
// NotFound (keyport has no delete, so this only guards the contract).
func Replace(ctx context.Context, st GetApplier, s Sealer, account, zoneID, key string, now time.Time) error {
	rec, err := Get(ctx, st, account, zoneID)
	if err != nil {
		return err
	}
	sealed, err := s.Seal(ctx, Scope(account), rec.Ref.AAD(), []byte(key))
	if err != nil {
		return fmt.Errorf("zonekey: seal: %v", err)
	}
	err = st.Apply(ctx, store.Tx{{Update: &store.Update{Ref: rec.Ref, Sealed: sealed, At: now}}})
	if c := store.ConflictOf(err); c != nil && c.Reason == store.Missing {
		return NotFound(zoneID)
	}
	if err != nil {
		return fmt.Errorf("zonekey: store: %v", err)
	}
	return nil
}
