// Package zonekey is EdgeOne's multi-path gateway secret key model, which
// CreateMultiPathGatewaySecretKey and the actions after it share: one key per zone of an
// account, its record and ref, the ZoneId and SecretKey rules, generated keys, and reading and
// replacing a zone's key (docs/wire/tencent.md, "EdgeOne zone keys"). There is no list and no
// delete: EdgeOne has none.
//
// It sits below the wire (package tencent): it knows records and rules, not signatures,
// routing or envelopes. The action packages plug it into tencent.Op.
package zonekey

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/valid"
)

// Service is the name keyport stores and seals zone keys under: the Ref service of their
// records and the service of their KMS encryption context.
const Service = "tencent-teo"

// AttrZoneID is the record's one attribute, its zone.
const AttrZoneID = "ZoneId"

// RecordRef is the ref of a zone's secret key: one per zone. Zones belong to an account, so the
// ref's tenant is the account: two accounts never share (or block) each other's zone ids.
func RecordRef(account, zoneID string) store.Ref {
	return store.Ref{Service: Service, Tenant: account, Kind: "zonekey", ID: zoneID}
}

// Scope is the seal scope of an account's zone keys.
func Scope(account string) seal.Scope { return seal.Scope{Service: Service, Tenant: account} }

// zoneSuffixMax bounds the part after "zone-". No formal ZoneId pattern is published
// (docs/wire/tencent.md, "ZoneId"): every example is "zone-" followed by 10-13 lower-case
// letters and digits, so keyport accepts "zone-" plus 1-32 of those.
const zoneSuffixMax = 32

// SecretKey bounds: a base64 string whose decoded length is 32-48 bytes.
const (
	secretKeyMinBytes = 32
	secretKeyMaxBytes = 48
)

// generatedKeyBytes is the size of a generated key: the smallest size the API accepts, and a
// full AES-256 key's worth of randomness.
const generatedKeyBytes = 32

// CheckZoneID checks a ZoneId: required (MissingParameter), then "zone-" followed by 1 to
// zoneSuffixMax lower-case ASCII letters and digits (InvalidParameterValue).
func CheckZoneID(v string) error {
	if err := valid.Required("ZoneId", v); err != nil {
		return err
	}
	const prefix = "zone-"
	ok := len(v) > len(prefix) && len(v) <= len(prefix)+zoneSuffixMax && v[:len(prefix)] == prefix
	for i := len(prefix); ok && i < len(v); i++ {
		c := v[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
	}
	if !ok {
		return fault.Newf(fault.Invalid, "ZoneId", "must be zone- followed by 1 to %d lower-case letters and digits", zoneSuffixMax)
	}
	return nil
}

// CheckSecretKey checks standard padded base64 of 32-48 bytes. Line breaks are refused although
// Go's strict decoder skips them: the key is stored as sent and must read back as one clean
// string.
func CheckSecretKey(v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return fault.New(fault.Invalid, "SecretKey", "must be valid base64")
	}
	_, err := valid.Base64OfSize("SecretKey", v, secretKeyMinBytes, secretKeyMaxBytes)
	return err
}

// NewSecretKey returns generatedKeyBytes random bytes, base64-encoded as the API returns keys.
func NewSecretKey() string {
	b := make([]byte, generatedKeyBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.StdEncoding.EncodeToString(b)
}

// ZoneParams are the parameters of the actions that take only a zone (Describe and Refresh).
type ZoneParams struct {
	ZoneID string `json:"ZoneId"`
}

// Check checks ZoneId (CheckZoneID) before any store is read.
func (p *ZoneParams) Check() error { return CheckZoneID(p.ZoneID) }

// CodeNotFound answers an action on a zone without a key. The vendor lists no code for it;
// Tencent's Terraform provider takes any code containing ResourceNotFound as "no key yet" and
// then creates one, so the code is the common ResourceNotFound itself (not
// ResourceNotFound.ZoneNotFound, which would claim the zone does not exist).
const CodeNotFound = "ResourceNotFound"

// NotFound is the answer for a zone with no key, including another account's zone: the two are
// indistinguishable on purpose.
func NotFound(zoneID string) error {
	return fault.Newf(fault.NotFound, "", "The zone %s has no multi-path gateway secret key; create one first.", zoneID).WithCode(CodeNotFound)
}

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

// Get reads the account's key of zoneID.
func Get(ctx context.Context, st Getter, account, zoneID string) (store.Record, error) {
	rec, err := st.Get(ctx, RecordRef(account, zoneID))
	if errors.Is(err, store.ErrNotFound) {
		return rec, NotFound(zoneID)
	}
	if err != nil {
		return rec, fmt.Errorf("zonekey: get: %w", err)
	}
	audit.SetResource(ctx, zoneID) // every action on one key finds it here
	return rec, nil
}

// Open returns the key rec holds.
func Open(ctx context.Context, o Opener, rec store.Record) (string, error) {
	key, err := o.Open(ctx, Scope(rec.Tenant), rec.Ref.AAD(), rec.Sealed)
	if err != nil {
		return "", fmt.Errorf("zonekey: open: %v", err) // %v: a KMS error never renders as a client fault
	}
	return string(key), nil
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
		return fmt.Errorf("zonekey: seal: %v", err) // %v: a KMS error never renders as a client fault
	}
	err = st.Apply(ctx, store.Tx{{Update: &store.Update{Ref: rec.Ref, Sealed: sealed, At: now}}})
	if c := store.ConflictOf(err); c != nil && c.Reason == store.Missing {
		return NotFound(zoneID)
	}
	if err != nil {
		return fmt.Errorf("zonekey: store: %w", err)
	}
	return nil
}
