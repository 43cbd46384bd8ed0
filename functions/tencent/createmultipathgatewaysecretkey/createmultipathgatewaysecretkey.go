// Package createmultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// CreateMultiPathGatewaySecretKey (service teo, version 2022-09-01): it stores the one access
// key a zone's multi-path gateways use, either given by the caller or generated, sealed under
// the signing account. A zone has at most one key; a second create is refused.
package createmultipathgatewaysecretkey

import (
	"context"
	"crypto/rand"
	"encoding/base64"
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
	ActionName     = "CreateMultiPathGatewaySecretKey"
	Version        = "2022-09-01"
	SigningService = "teo"         // the TC3 credential scope service
	Service        = "tencent-teo" // seal scope, encryption context and record keys
)

// generatedKeyBytes is the size of a generated key: the smallest size the API accepts, and a
// full AES-256 key's worth of randomness.
const generatedKeyBytes = 32

// applier is the one store call a create makes: an atomic transaction.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps is what the handler needs. Now nil means time.Now.
type Deps struct {
	Store  applier
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
}

// RecordRef is the ref of a zone's secret key: one per zone. Zones belong to an account, so the
// ref's tenant is the account: two accounts never share (or block) each other's zone ids.
func RecordRef(account, zoneID string) store.Ref {
	return store.Ref{Service: Service, Tenant: account, Kind: "zonekey", ID: zoneID}
}

// Action returns CreateMultiPathGatewaySecretKey for mounting on a tencent.Router.
func Action(d Deps) tencent.Action {
	if d.Now == nil {
		d.Now = time.Now
	}
	h := handler{d}
	return tencent.Action{Name: ActionName, Service: SigningService, Version: Version, Handle: h.handle}
}

// New returns an http.Handler serving CreateMultiPathGatewaySecretKey alone on POST /.
func New(d Deps) http.Handler { return tencent.Router(d.Creds, d.Now, Action(d)) }

type handler struct{ Deps }

// handle validates before sealing (no KMS call for a bad request), then stores the sealed key
// in one write that is refused if the zone already has one.
func (h handler) handle(ctx context.Context, c tencent.Call) (any, error) {
	req, err := decode(c.Body)
	if err != nil {
		return nil, err
	}
	if req.SecretKey == "" {
		req.SecretKey = NewSecretKey()
	}
	ref := RecordRef(c.Account, req.ZoneID)
	sealed, err := h.Sealer.Seal(ctx, seal.Scope{Service: Service, Tenant: c.Account}, ref.AAD(), []byte(req.SecretKey))
	if err != nil {
		return nil, fmt.Errorf("createmultipathgatewaysecretkey: seal: %v", err) // %v: never a client fault
	}
	rec := store.Record{Ref: ref, Sealed: sealed, CreatedAt: h.Now().UTC(), Attrs: store.Attrs{"ZoneId": req.ZoneID}}
	if err := h.Store.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}}); err != nil {
		return nil, storeFault(err, req.ZoneID)
	}
	audit.SetResource(ctx, req.ZoneID) // a zone has one key: the zone names it
	return struct{}{}, nil             // the response is RequestId alone
}

// storeFault reports an existing key as OperationDenied. Which code the real service returns
// here is not known (WIRE §6.3); OperationDenied is the one code the action lists that fits a
// refusal of a well-formed request. Anything else, an unexpected conflict included, is
// internal.
func storeFault(err error, zoneID string) error {
	if c := store.ConflictOf(err); c != nil && c.Action == 0 && c.Reason == store.Exists {
		return fault.Newf(fault.Exists, "", "The zone %s already has a multi-path gateway secret key; a zone has only one.", zoneID).WithCode("OperationDenied")
	}
	return fmt.Errorf("createmultipathgatewaysecretkey: store: %v", err) // %v: never a client fault
}

// NewSecretKey returns generatedKeyBytes random bytes, base64-encoded as the API returns keys.
func NewSecretKey() string {
	b := make([]byte, generatedKeyBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.StdEncoding.EncodeToString(b)
}
